import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ElementPlus from 'element-plus'
import { i18n } from '../../src/i18n'

const api = vi.hoisted(() => ({ uploadAttachment: vi.fn(), previewAttachment: vi.fn() }))
vi.mock('../../src/api/backend', () => ({ api }))

import AttachmentCell, { MAX_ATTACHMENT_BYTES, formatRefs, parseRefs } from '../../src/components/AttachmentCell.vue'
import { body } from './testkit'

const A = 'a1'.repeat(32)
const B = '0f'.repeat(32)
const C = 'c3'.repeat(32)
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]
const b64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes))
const view = (sha: string, name: string, mime = 'image/png') => ({ sha256: sha, size: 2048, mime, name, createdBy: 4, createdAt: '2025-04-02T01:30:00Z' })

describe('cell format (mirrors backend/attachments/ref.go)', () => {
  it('parses leniently and formats canonically', () => {
    expect(parseRefs('')).toEqual({ refs: [], bad: 0 })
    expect(parseRefs(null)).toEqual({ refs: [], bad: 0 })
    expect(parseRefs(` ${B.toUpperCase()} ; ${A};;${B}`)).toEqual({ refs: [B, A], bad: 0 })
    expect(parseRefs(`${A};收据.jpg;${'g'.repeat(64)}`)).toEqual({ refs: [A], bad: 2 })
    expect(formatRefs([A, B, A])).toBe(`${A};${B}`)
    expect(formatRefs([])).toBe('')
  })

  it('size limit is the Go one', () => {
    // Through a variable: Vite rewrites new URL('literal', import.meta.url) into an asset URL.
    const goFile = '../../../backend/attachments/store.go'
    const src = readFileSync(fileURLToPath(new URL(goFile, import.meta.url)), 'utf8')
    const m = /const MaxSize = (\d+) << (\d+)/.exec(src)
    expect(m, 'const MaxSize = N << M in store.go').not.toBeNull()
    expect(MAX_ATTACHMENT_BYTES).toBe(Number(m![1]) * 2 ** Number(m![2]))
  })
})

enableAutoUnmount(afterEach)

function mountCell(value: string, editable: boolean) {
  return mount(AttachmentCell, {
    props: { value, editable },
    attachTo: document.body,
    global: { plugins: [i18n, ElementPlus] },
  })
}

// The dialog is teleported to <body>.

async function pick(files: File[]) {
  const input = body().get('[data-testid="attachment-file"]')
  Object.defineProperty(input.element, 'files', { value: files, configurable: true })
  await input.trigger('change')
  // FileReader in jsdom finishes on a later task.
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 5))
    await flushPromises()
  }
}

describe('AttachmentCell', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    vi.clearAllMocks()
  })

  it('shows the count and previews images and PDFs', async () => {
    api.previewAttachment.mockImplementation(async (sha: string) =>
      sha === A
        ? { attachment: view(A, '收据.png'), dataUrl: `data:image/png;base64,${b64(PNG)}` }
        : { attachment: view(B, '合同.pdf', 'application/pdf'), dataUrl: 'data:application/pdf;base64,JVBERi0xLjQK' },
    )
    const w = mountCell(`${A};${B}`, false)
    expect(w.get('[data-testid="attachment-open"]').text()).toBe('2')
    await w.get('[data-testid="attachment-open"]').trigger('click')
    await flushPromises()
    expect(api.previewAttachment).toHaveBeenNthCalledWith(1, A)
    expect(api.previewAttachment).toHaveBeenNthCalledWith(2, B)
    const img = body().get('[data-testid="attachment-preview"] img')
    expect(img.attributes('alt')).toBe('收据.png')
    expect(img.attributes('src')).toMatch(/^(blob:|data:image\/png;base64,)/)
    expect(body().text()).toContain('合同.pdf')
    expect(body().find('[data-testid="attachment-upload"]').exists()).toBe(false) // read-only

    await body().get(`[data-testid="attachment-item-${B.slice(0, 8)}"]`).trigger('click')
    await flushPromises()
    const obj = body().get('[data-testid="attachment-preview"] object')
    expect(obj.attributes('type')).toBe('application/pdf')
    expect(obj.text()).toContain('无法直接显示 PDF')
  })

  it('an empty read-only cell cannot be opened', () => {
    const w = mountCell('', false)
    expect(w.get('[data-testid="attachment-open"]').attributes('disabled')).toBeDefined()
  })

  it('uploads a picked file as base64 and emits the new refs', async () => {
    api.previewAttachment.mockResolvedValue({ attachment: view(A, '旧.png'), dataUrl: `data:image/png;base64,${b64(PNG)}` })
    api.uploadAttachment.mockResolvedValue(view(C, '新收据.png'))
    const w = mountCell(A, true)
    await w.get('[data-testid="attachment-open"]').trigger('click')
    await flushPromises()
    expect(body().text()).toContain('10 MB')
    await pick([new File([new Uint8Array(PNG)], '新收据.png', { type: 'image/png' })])
    expect(api.uploadAttachment).toHaveBeenCalledWith('新收据.png', b64(PNG))
    expect(w.emitted('update:value')).toEqual([[`${A};${C}`]])
    expect(body().find('[data-testid="attachment-progress"]').exists()).toBe(false)
    // The new one is shown from the bytes just read, not fetched back.
    expect(api.previewAttachment).not.toHaveBeenCalledWith(C)
    expect(body().get('[data-testid="attachment-preview"] img').attributes('alt')).toBe('新收据.png')
  })

  it('shows the backend refusal in Chinese', async () => {
    const message = '文件「发票.jpg」不是 JPG、PNG 图片或 PDF 文件（按文件内容识别，改扩展名无效）。只能上传 JPG、PNG 图片或 PDF 文件，单个文件不超过 10 MB。'
    api.uploadAttachment.mockRejectedValue(new Error(JSON.stringify({ code: 'attachment_type', message })))
    const w = mountCell('', true)
    await w.get('[data-testid="attachment-open"]').trigger('click')
    await pick([new File(['MZ\x90\x00'], '发票.jpg', { type: 'image/jpeg' })])
    expect(api.uploadAttachment).toHaveBeenCalledOnce()
    expect(body().get('[data-testid="attachment-error"]').text()).toContain(message)
    expect(w.emitted('update:value')).toBeUndefined()
  })

  it('refuses a huge file before reading it', async () => {
    const w = mountCell('', true)
    await w.get('[data-testid="attachment-open"]').trigger('click')
    const big = new File(['x'], '扫描.pdf')
    Object.defineProperty(big, 'size', { value: MAX_ATTACHMENT_BYTES + 1 })
    await pick([big])
    expect(api.uploadAttachment).not.toHaveBeenCalled()
    expect(body().get('[data-testid="attachment-error"]').text()).toContain('扫描.pdf')
  })

  it('removes an attachment from the cell', async () => {
    api.previewAttachment.mockImplementation(async (sha: string) => ({ attachment: view(sha, `${sha.slice(0, 2)}.png`), dataUrl: `data:image/png;base64,${b64(PNG)}` }))
    const w = mountCell(`${A};${B}`, true)
    await w.get('[data-testid="attachment-open"]').trigger('click')
    await flushPromises()
    await body().get(`[data-testid="attachment-item-${A.slice(0, 8)}"] button`).trigger('click')
    expect(w.emitted('update:value')).toEqual([[B]])
  })
})
