// The rows the platform refused, on the clerk's batch page (BatchView)
// over a mocked backend: the banner on a rejected batch with what to do,
// the platform's reason on the cell, 定位 to it; the same rows on a
// correction draft (one no longer there cannot be located); and no
// RowIssues call where it has no business (a draft, a session without
// the sync page).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '../../src/i18n'
import type { Batch, Report, SessionView } from '../../src/api/backend'
import { appErr, giveElementsASize, body, byTest, exists, focusedIn, settleFor } from './testkit'

const api = vi.hoisted(() => ({
  getBatch: vi.fn(),
  datasets: vi.fn(),
  rows: vi.fn(),
  validate: vi.fn(),
  save: vi.fn(),
  reveal: vi.fn(),
  reviewTrail: vi.fn(),
  seal: vi.fn(),
  syncRowIssues: vi.fn(),
  correctionChanges: vi.fn(),
  onImportProgress: vi.fn(() => () => {}),
  exportTemplate: vi.fn(),
  exportBatch: vi.fn(),
}))
vi.mock('../../src/api/backend', () => ({ api }))

import BatchView from '../../src/views/BatchView.vue'
import { useSessionStore } from '../../src/stores/session'

enableAutoUnmount(afterEach)
giveElementsASize()


const settle = (n = 8) => settleFor(n, 10)

const dataset = {
  code: 'msj_roster',
  name: '个人补助资金发放表',
  layout: 'grid',
  fields: [
    { code: 'name', label: '姓名', type: 'text', required: true, help: '' },
    { code: 'id_number', label: '身份证号', type: 'text', required: true, help: '' },
    { code: 'amount', label: '补助金额', type: 'money', required: true, help: '' },
  ],
}
const rejectedMsg = '该身份证号在民政部门死亡人员名单中（模拟平台比对），请核实后删除或更正'
const rejected = {
  id: 7,
  dataset: 'msj_roster',
  datasetName: '个人补助资金发放表',
  periodLabel: '2026年11月',
  deadline: '2026-12-31',
  daysLeft: 38,
  status: 'rejected',
  editable: false,
  readOnlyReason: '该批次已被省级平台拒收，只读。如需修改，由录入员点「更正」新建版本。',
  revision: 5,
  rows: 2,
  version: 1,
  replaces: 0,
  supersededBy: 0,
} as unknown as Batch
const rowPage = {
  total: 2,
  rows: [
    { id: 21, cells: { name: '王芳', id_number: '110105194912310011', amount: '300' } },
    { id: 22, cells: { name: '李娜', id_number: '11010519491231002X', amount: '450' } },
  ],
}
const report = (p: Partial<Report> = {}): Report => ({ batchId: 7, dataset: 'msj_roster', revision: 5, rows: 2, errors: 0, warnings: 0, issues: [], ...p }) as Report

function session(pages: string[]): SessionView {
  return { user: { id: '1', name: '张敏', orgUnit: '演示县民政局', roles: ['clerk'] }, pages, locked: false } as unknown as SessionView
}

async function mountBatch(id: number, pages = ['workbench', 'entry', 'sync']) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().set(session(pages))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/entry', name: 'entry', component: { template: '<div/>' } },
      { path: '/entry/batch/:id', name: 'batch', component: BatchView },
    ],
  })
  await router.push(`/entry/batch/${id}`)
  await router.isReady()
  const w = mount({ template: '<router-view />' }, { attachTo: document.body, global: { plugins: [router, pinia, i18n, ElementPlus] } })
  await settle()
  return w
}

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  vi.clearAllMocks()
  api.datasets.mockResolvedValue([dataset])
  api.rows.mockResolvedValue(rowPage)
  api.reviewTrail.mockResolvedValue([])
  api.validate.mockResolvedValue(report())
  api.seal.mockResolvedValue({ state: 'valid', digest: 'ab', signerName: '李强', signedAt: '2026-11-23T02:00:00Z', message: '' })
  api.correctionChanges.mockResolvedValue({ baseId: 7, baseVersion: 1, rows: [], missing: 0 })
})

describe('a batch the platform rejected (clerk, BatchView)', () => {
  beforeEach(() => {
    api.getBatch.mockResolvedValue({ ...rejected })
    api.syncRowIssues.mockResolvedValue([{ rowNo: 1, rowId: 21, field: 'id_number', message: rejectedMsg }])
  })

  it('shows the banner with what to do, the reason on the cell, and 定位 goes to it', async () => {
    await mountBatch(7)
    expect(api.syncRowIssues).toHaveBeenCalledWith(7)
    expect(byTest('batch-status').text()).toBe('平台退回')
    expect(byTest('platform-banner-title').text()).toBe('省级平台拒收了 1 行')
    expect(byTest('platform-banner-hint').text()).toBe('请点击「更正」新建版本，按各行说明修改后重新提交审核；审核通过后会自动报送。')
    const issue = byTest('platform-issue')
    expect(issue.text()).toContain('第 1 行 · 身份证号：')
    expect(issue.text()).toContain(rejectedMsg)

    // Marked on the cell like a review note; the other row is not.
    const cell = body().get('[data-cell="0:id_number"]')
    expect(cell.attributes('data-issue')).toBe('warning')
    expect(cell.attributes('title')).toBe(`省级平台拒收：${rejectedMsg}`)
    expect(body().get('[data-cell="1:id_number"]').attributes('data-issue')).toBeUndefined()

    await issue.get('[data-testid="platform-locate"]').trigger('click')
    await settle()
    expect(focusedIn()).toBe('grid-editor')
    expect(byTest('grid-info').text()).toContain('第 1 行 · 身份证号')
  })

  it('keeps the mark after a re-validation', async () => {
    await mountBatch(7)
    await byTest('batch-validate').trigger('click')
    await settle()
    expect(body().get('[data-cell="0:id_number"]').attributes('title')).toContain(`省级平台拒收：${rejectedMsg}`)
  })

  it('a whole-row refusal names the row and marks its status', async () => {
    api.syncRowIssues.mockResolvedValue([{ rowNo: 2, rowId: 22, field: '', message: '该人员本月已在其他县领取同类补助。' }])
    await mountBatch(7)
    expect(byTest('platform-issue').text()).toContain('第 2 行 · 整行：该人员本月已在其他县领取同类补助。')
    expect(byTest('platform-banner-title').text()).toBe('省级平台拒收了 1 行')
    const marks = body().findAll('.dg-status').filter((e) => (e.attributes('title') ?? '').includes('省级平台拒收：该人员本月已在其他县领取同类补助。'))
    expect(marks).toHaveLength(1)
  })

  it('says so when the refused rows cannot be read', async () => {
    api.syncRowIssues.mockRejectedValue(appErr('internal', '无法读取平台拒收的行。'))
    await mountBatch(7)
    expect(byTest('platform-banner-title').text()).toBe('无法读取平台拒收的行：无法读取平台拒收的行。')
    expect(exists('platform-issue')).toBe(false)
  })
})

describe('a correction of a rejected batch (clerk, BatchView)', () => {
  const correction = { ...rejected, id: 9, status: 'draft', editable: true, readOnlyReason: '', version: 2, replaces: 7 } as unknown as Batch

  it('lists the rows on the correction, locates those still there, and tells the clerk to correct here', async () => {
    api.getBatch.mockResolvedValue({ ...correction })
    api.syncRowIssues.mockResolvedValue([
      { rowNo: 3, rowId: 0, field: 'amount', message: '金额超过该项目的人均标准。' },
      { rowNo: 1, rowId: 22, field: 'id_number', message: rejectedMsg },
    ])
    await mountBatch(9)
    expect(api.syncRowIssues).toHaveBeenCalledWith(9)
    expect(byTest('platform-banner-title').text()).toBe('上一版本被省级平台拒收了 2 行，请在本版本中逐行改正')
    expect(byTest('platform-banner-hint').text()).toBe('改正下列各行后提交审核；审核通过后会自动报送。')
    const issues = body().findAll('[data-testid="platform-issue"]')
    // In roster order: the row still there (now row 2) first, then the one gone.
    expect(issues[0].text()).toContain('第 2 行 · 身份证号：')
    expect(issues[1].text()).toContain('第 3 行 · 补助金额（本版本中已没有该行）：金额超过该项目的人均标准。')
    expect(issues[0].find('[data-testid="platform-locate"]').exists()).toBe(true)
    expect(issues[1].find('[data-testid="platform-locate"]').exists()).toBe(false)
    expect(body().get('[data-cell="1:id_number"]').attributes('title')).toBe(`省级平台拒收：${rejectedMsg}`)

    await issues[0].get('[data-testid="platform-locate"]').trigger('click')
    await settle()
    expect(byTest('grid-info').text()).toContain('第 2 行 · 身份证号')
  })

  it('shows nothing when the platform refused nothing', async () => {
    api.getBatch.mockResolvedValue({ ...correction })
    api.syncRowIssues.mockResolvedValue([])
    await mountBatch(9)
    expect(api.syncRowIssues).toHaveBeenCalledWith(9)
    expect(exists('platform-banner')).toBe(false)
  })
})

describe('where RowIssues is not asked', () => {
  it('a first-version draft', async () => {
    api.getBatch.mockResolvedValue({ ...rejected, status: 'draft', editable: true })
    await mountBatch(7)
    expect(byTest('batch-status').text()).toBe('草稿')
    expect(api.syncRowIssues).not.toHaveBeenCalled()
    expect(exists('platform-banner')).toBe(false)
  })

  it('a session without the sync page', async () => {
    api.getBatch.mockResolvedValue({ ...rejected })
    await mountBatch(7, ['workbench', 'entry'])
    expect(api.syncRowIssues).not.toHaveBeenCalled()
    expect(exists('platform-banner')).toBe(false)
  })
})
