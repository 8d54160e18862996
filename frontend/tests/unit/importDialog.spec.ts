import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '../../src/i18n'
import type { Batch, ImportProgress } from '../../src/api/backend'
import { previewOf } from './importFixtures'

const api = vi.hoisted(() => ({
  importBegin: vi.fn(),
  importAppend: vi.fn(),
  importCheck: vi.fn(),
  importCommit: vi.fn(),
  importCancel: vi.fn(),
  importErrorReport: vi.fn(),
  importDiscard: vi.fn(),
  onImportProgress: vi.fn(),
  saveAs: vi.fn(),
  showInFolder: vi.fn(),
}))
vi.mock('../../src/api/backend', () => ({ api }))

import ImportDialog from '../../src/components/ImportDialog.vue'
import { appErr, byTest, exists, settleFor } from './testkit'

// jsdom's Blob has no arrayBuffer(); browsers and the webviews do.
if (!Blob.prototype.arrayBuffer) {
  Blob.prototype.arrayBuffer = function (this: Blob) {
    return new Promise<ArrayBuffer>((resolve, reject) => {
      const r = new FileReader()
      r.onload = () => resolve(r.result as ArrayBuffer)
      r.onerror = () => reject(r.error)
      r.readAsArrayBuffer(this)
    })
  }
}

enableAutoUnmount(afterEach)

const batch = { id: 12, rows: 3, datasetName: '个人补助资金发放表', editable: true } as Batch

// FileReader and the chained awaits finish over several tasks.
const settle = () => settleFor(12, 2)

let progress: ((p: ImportProgress) => void) | null = null

async function mountDialog() {
  const w = mount(ImportDialog, {
    props: {
      batch,
      modelValue: true,
      'onUpdate:modelValue': (v: boolean) => w.setProps({ modelValue: v }),
    },
    attachTo: document.body,
    global: { plugins: [i18n, ElementPlus] },
  })
  await flushPromises()
  return w
}

async function pick(name = '花名册.xlsx') {
  const input = byTest('import-file')
  const file = new File([new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3])], name)
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
  await settle()
}

const commitButton = () => byTest('import-commit')

describe('ImportDialog', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    vi.clearAllMocks()
    progress = null
    api.importBegin.mockResolvedValue('up1')
    api.importAppend.mockImplementation(async (_id: string, b64: string) => atob(b64).length)
    api.importDiscard.mockResolvedValue(undefined)
    api.importCancel.mockResolvedValue(undefined)
    api.onImportProgress.mockImplementation((cb: (p: ImportProgress) => void) => {
      progress = cb
      return () => (progress = null)
    })
  })

  it('uploads the chosen file, runs the dry run and shows the counts, mapping and issues', async () => {
    api.importCheck.mockResolvedValue(previewOf())
    const w = await mountDialog()
    expect(exists('import-pick')).toBe(true)
    await pick()

    expect(api.importBegin).toHaveBeenCalledWith('花名册.xlsx', 7)
    expect(api.importAppend).toHaveBeenCalledWith('up1', btoa(String.fromCharCode(0x50, 0x4b, 3, 4, 1, 2, 3)))
    expect(api.importCheck).toHaveBeenCalledWith('up1', 12, 'append')
    const counts = byTest('import-counts').text()
    expect(counts).toContain('共 6 行')
    expect(counts).toContain('无误 1 行')
    expect(counts).toContain('有错误 5 行（共 5 处）')
    expect(counts).toContain('提醒 0 处')
    expect(byTest('import-source').text()).toContain('工作表「Sheet1」，表头在第 1 行')
    expect(byTest('import-mapping').text()).toContain('身份证号码→身份证号')
    expect(byTest('import-ignored').text()).toContain('以下列未识别，将被忽略：性别（C）')
    const rows = byTest('import-issues').findAll('tbody tr')
    expect(rows.map((r) => r.find('td').text())).toEqual(['3', '3', '7'])
    expect(rows[0].classes()).toContain('issue-error')
    expect(rows[1].classes()).toContain('issue-warning')
    expect(exists('import-truncated')).toBe(false)
    expect(exists('import-report')).toBe(true)
    expect(w.emitted('imported')).toBeUndefined()
  })

  it('导入全部 is disabled while rows have errors; ticking 仅导入无误 commits the valid rows only', async () => {
    api.importCheck.mockResolvedValue(previewOf())
    api.importCommit.mockResolvedValue(previewOf({ committed: true, imported: 1, batchRows: 4 }))
    const w = await mountDialog()
    await pick()

    expect(commitButton().text()).toBe('导入全部 6 行')
    expect(commitButton().attributes('disabled')).toBeDefined()
    expect(byTest('import-has-errors').text()).toContain('仅导入无误的行')
    await commitButton().trigger('click')
    expect(api.importCommit).not.toHaveBeenCalled()

    const box = byTest('import-valid-only')
    expect(box.text()).toBe('仅导入无误的 1 行（跳过 5 行有错误的行）')
    await box.get('input').setValue(true)
    expect(commitButton().text()).toBe('导入无误的行')
    expect(commitButton().attributes('disabled')).toBeUndefined()
    await commitButton().trigger('click')
    await settle()

    expect(api.importCommit).toHaveBeenCalledWith('up1', 12, 'append', true, 4)
    expect(w.emitted('imported')?.[0]?.[0]).toMatchObject({ committed: true, imported: 1 })
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([false])
  })

  it('a clean file is imported whole, and replace re-checks and warns about the rows it deletes', async () => {
    const clean = previewOf({ rows: 8, valid: 8, errorRows: 0, errors: 0, issues: [], issuesTotal: 0 })
    api.importCheck.mockResolvedValue(clean)
    api.importCommit.mockResolvedValue({ ...clean, committed: true, imported: 8, batchRows: 8 })
    const w = await mountDialog()
    await pick()
    expect(exists('import-valid-only')).toBe(false)
    expect(exists('import-report')).toBe(false)
    expect(commitButton().attributes('disabled')).toBeUndefined()

    await byTest('import-mode-replace').get('input').setValue(true)
    await settle()
    expect(api.importCheck).toHaveBeenLastCalledWith('up1', 12, 'replace')
    expect(byTest('import-replace-warning').text()).toContain('将删除本批次现有的 3 行')
    await commitButton().trigger('click')
    await settle()
    expect(api.importCommit).toHaveBeenCalledWith('up1', 12, 'replace', false, 4)
    expect(w.emitted('imported')).toHaveLength(1)
  })

  it('a refused file shows the backend message and lets the clerk choose another file', async () => {
    const message = '这是旧版 .xls 文件（Excel 97-2003 格式），请用 Excel 或 WPS 打开后“另存为” .xlsx 格式再导入。'
    api.importCheck.mockRejectedValue(appErr('import_legacy_xls', message))
    await mountDialog()
    await pick('花名册.xls')

    expect(byTest('import-refusal').text()).toContain(message)
    expect(byTest('import-pick').text()).toBe('选择其他文件')
    expect(exists('import-preview')).toBe(false)
    expect(api.importDiscard).toHaveBeenCalledWith('up1')

    api.importCheck.mockResolvedValue(previewOf())
    api.importBegin.mockResolvedValue('up2')
    await pick('花名册.xlsx')
    expect(exists('import-refusal')).toBe(false)
    expect(byTest('import-counts').text()).toContain('共 6 行')
  })

  it('shows the dry run progress from the events of its own upload, and cancels it', async () => {
    let reject: (e: unknown) => void = () => {}
    api.importCheck.mockImplementation(() => new Promise((_, r) => (reject = r)))
    await mountDialog()
    await pick()
    expect(byTest('import-progress').text()).toContain('读取文件')

    progress?.({ uploadId: 'other', phase: 'commit', rows: 999, percent: 50 })
    progress?.({ uploadId: 'up1', phase: 'check', rows: 120, percent: 40 })
    await flushPromises()
    const bar = byTest('import-progress')
    expect(bar.attributes('data-phase')).toBe('check')
    expect(bar.text()).toContain('校验数据')
    expect(bar.text()).toContain('已处理 120 行')
    expect(bar.text()).toContain('40%')

    await byTest('import-cancel').trigger('click')
    expect(api.importCancel).toHaveBeenCalledWith('up1')
    reject(appErr('canceled', '操作已取消，数据没有改动。'))
    await settle()
    expect(byTest('import-info').text()).toContain('操作已取消')
    expect(exists('import-pick')).toBe(true)
    expect(api.importDiscard).toHaveBeenCalledWith('up1')
  })

  it('the error report lands in the saved-file notice', async () => {
    api.importCheck.mockResolvedValue(previewOf())
    api.importErrorReport.mockResolvedValue({ path: '/d/导出/花名册-错误报告.xlsx', name: '花名册-错误报告.xlsx', dir: '/d/导出', size: 2048 })
    await mountDialog()
    await pick()
    await byTest('import-report').trigger('click')
    await settle()
    expect(api.importErrorReport).toHaveBeenCalledWith('up1')
    expect(byTest('saved-file-name').text()).toBe('已保存：花名册-错误报告.xlsx（2.0 KB）')
    expect(byTest('saved-file-dir').text()).toContain('/d/导出')
  })

  it('logs nothing to the console and discards the upload when closed', async () => {
    const spies = (['log', 'info', 'debug', 'warn', 'error'] as const).map((k) => vi.spyOn(console, k))
    api.importCheck.mockResolvedValue(previewOf())
    const w = await mountDialog()
    await pick()
    await byTest('import-close').trigger('click')
    await settle()
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([false])
    expect(api.importDiscard).toHaveBeenCalledWith('up1')
    for (const s of spies) {
      expect(s).not.toHaveBeenCalled()
      s.mockRestore()
    }
  })
})
