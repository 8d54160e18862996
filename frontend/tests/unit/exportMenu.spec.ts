import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '../../src/i18n'
import type { Dataset } from '../../src/api/backend'

const api = vi.hoisted(() => ({ exportBatch: vi.fn(), saveAs: vi.fn(), showInFolder: vi.fn() }))
vi.mock('../../src/api/backend', () => ({ api }))

import ExportMenu from '../../src/components/ExportMenu.vue'
import SavedFileNotice from '../../src/components/SavedFileNotice.vue'
import { body, settleFor } from './testkit'

enableAutoUnmount(afterEach)
const roster = { code: 'msj_roster', fields: ['name', 'id_number', 'account', 'bank', 'amount'].map((code) => ({ code })) } as Dataset
const saved = { path: '/d/导出/清册.xlsx', name: '清册.xlsx', dir: '/d/导出', size: 5 * 1024 * 1024 + 1 }

const settle = () => settleFor(6, 5)

async function openMenu(w: ReturnType<typeof mount>) {
  await w.get('[data-testid="export-open"]').trigger('click')
  await settle()
}

describe('ExportMenu', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    vi.clearAllMocks()
    api.exportBatch.mockResolvedValue(saved)
  })

  it('exports masked in one click; full numbers only after the warning is confirmed', async () => {
    const w = mount(ExportMenu, {
      props: { batchId: 9, dataset: roster, hasPersonal: true },
      attachTo: document.body,
      global: { plugins: [i18n, ElementPlus] },
    })
    await openMenu(w)
    const items = body().findAll('[data-testid^="export-"]').map((e) => e.attributes('data-testid'))
    expect(items).toEqual(expect.arrayContaining(['export-table', 'export-payroll', 'export-cards', 'export-summary_region', 'export-full']))

    await body().get('[data-testid="export-payroll"]').trigger('click')
    await settle()
    expect(api.exportBatch).toHaveBeenLastCalledWith(9, 'payroll', false)
    expect(w.emitted('saved')?.[0]).toEqual([saved])

    await openMenu(w)
    await body().get('[data-testid="export-full"]').trigger('click')
    await settle()
    expect(api.exportBatch).toHaveBeenCalledTimes(1) // nothing yet: the warning comes first
    expect(body().text()).toContain('导出的文件将包含完整的身份证号和银行账号，本次导出会被记录。请妥善保管文件。')
    await body().get('[data-testid="export-full-confirm"]').trigger('click')
    await settle()
    expect(api.exportBatch).toHaveBeenLastCalledWith(9, 'payroll', true)
  })

  it('a table-only dataset offers the table and no full export when it holds no personal numbers', async () => {
    const w = mount(ExportMenu, {
      props: { batchId: 3, dataset: { code: 'msj_project', fields: [{ code: 'project_code' }] } as Dataset, hasPersonal: false },
      attachTo: document.body,
      global: { plugins: [i18n, ElementPlus] },
    })
    await openMenu(w)
    expect(body().find('[data-testid="export-payroll"]').exists()).toBe(false)
    expect(body().find('[data-testid="export-full"]').exists()).toBe(false)
    expect(body().find('[data-testid="export-table"]').exists()).toBe(true)
  })
})

describe('SavedFileNotice', () => {
  it('names the file and its size, and shows the backend refusal of 另存为 in a browser', async () => {
    api.saveAs.mockRejectedValue(new Error(JSON.stringify({ code: 'not_available', message: '浏览器中不能另存，请到导出文件夹中复制文件。' })))
    const w = mount(SavedFileNotice, { props: { file: saved }, attachTo: document.body, global: { plugins: [i18n, ElementPlus] } })
    expect(w.get('[data-testid="saved-file-name"]').text()).toBe('已保存：清册.xlsx（5.0 MB）')
    expect(w.get('[data-testid="saved-file-dir"]').text()).toBe('保存位置：/d/导出')
    await w.get('[data-testid="saved-file-save-as"]').trigger('click')
    await settle()
    expect(api.saveAs).toHaveBeenCalledWith('/d/导出/清册.xlsx')
    expect(body().text()).toContain('浏览器中不能另存')
    await w.get('[data-testid="saved-file-close"]').trigger('click')
    expect(w.emitted('close')).toHaveLength(1)
  })
})
