// Corrections (更正) as the pages place them, over a mocked backend: the
// clerk's BatchView offers 更正 on an approved batch only, opens the new
// version, shows 更正说明 beside the grid (listed again after every save,
// reasons stored before 提交审核 and before leaving), 历史 of the selected
// row, an old version's note, and the approval seal (valid: a green line;
// broken: a red alert). The reviewer's ReviewBatch shows a correction's
// diff read-only with history, and checks the seal once approved.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '../../src/i18n'
import type { Batch, Changes, Report, SessionView } from '../../src/api/backend'

const api = vi.hoisted(() => ({
  getBatch: vi.fn(),
  datasets: vi.fn(),
  rows: vi.fn(),
  validate: vi.fn(),
  save: vi.fn(),
  reveal: vi.fn(),
  reviewTrail: vi.fn(),
  reviewWaiting: vi.fn(),
  submitForReview: vi.fn(),
  approveBatch: vi.fn(),
  returnBatch: vi.fn(),
  seal: vi.fn(),
  correct: vi.fn(),
  setCorrectionReason: vi.fn(),
  correctionChanges: vi.fn(),
  rowHistory: vi.fn(),
  exportRowHistory: vi.fn(),
  onImportProgress: vi.fn(() => () => {}),
  exportTemplate: vi.fn(),
  exportBatch: vi.fn(),
}))
vi.mock('../../src/api/backend', () => ({ api }))

import BatchView from '../../src/views/BatchView.vue'
import ReviewView from '../../src/views/ReviewView.vue'
import { useSessionStore } from '../../src/stores/session'
import { giveElementsASize, appErr, body, byTest, exists, settleFor } from './testkit'

enableAutoUnmount(afterEach)

giveElementsASize()

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const settle = (n = 8) => settleFor(n, 10)

const dataset = {
  code: 'msj_roster',
  name: '个人补助资金发放表',
  layout: 'grid',
  fields: [
    { code: 'name', label: '姓名', type: 'text', required: true, help: '' },
    { code: 'amount', label: '补助金额', type: 'money', required: true, help: '' },
  ],
}
const base = {
  id: 7,
  dataset: 'msj_roster',
  datasetName: '个人补助资金发放表',
  period: '2026-11',
  periodLabel: '2026年11月',
  periodStatus: 'open',
  deadline: '2026-12-31',
  daysLeft: 38,
  version: 1,
  replaces: 0,
  supersededBy: 0,
  rectification: '',
  status: 'approved',
  editable: false,
  readOnlyReason: '该批次已审核，只读；如需修改，由录入员点「更正」创建更正版本。',
  revision: 5,
  rows: 2,
} as Batch
// Version 2, a draft correction of version 1.
const correction = { ...base, id: 8, version: 2, replaces: 7, status: 'draft', editable: true, readOnlyReason: '', revision: 0 } as Batch
const rowPage = (ids = [21, 22]) => ({
  total: 2,
  rows: [
    { id: ids[0], cells: { name: '王芳', amount: '320' } },
    { id: ids[1], cells: { name: '李娜', amount: '450' } },
  ],
})
const report = (p: Partial<Report> = {}): Report => ({ batchId: 8, dataset: 'msj_roster', revision: 0, rows: 2, errors: 0, warnings: 0, issues: [], ...p }) as Report
const changesOf = (reason = ''): Changes =>
  ({
    batchId: 8,
    version: 2,
    baseId: 7,
    baseVersion: 1,
    baseStatus: 'approved',
    missing: reason ? 0 : 1,
    rows: [{ kind: 'changed', rowId: 81, origin: 21, seq: 1, reason, fields: [{ field: 'amount', label: '补助金额（元）', before: '300', after: '320' }] }],
  }) as unknown as Changes
const validSeal = { state: 'valid', signer: '李强', signedAt: '2026-11-23T10:00:00Z', digest: 'ab12cd34ef56ab12cd34', code: '', message: '' }

function session(roles: string[], name: string): SessionView {
  return { user: { id: '1', name, orgUnit: '演示县民政局', roles }, pages: ['workbench', 'entry', 'review'], locked: false } as unknown as SessionView
}

async function mountAt(path: string, roles: string[] = ['clerk'], name = '张敏') {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().set(session(roles, name))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/entry', name: 'entry', component: { template: '<div data-testid="entry-page"/>' } },
      { path: '/entry/batch/:id', name: 'batch', component: BatchView },
      { path: '/review', name: 'review', component: ReviewView },
      { path: '/review/batch/:id', name: 'review-batch', component: ReviewView },
    ],
  })
  await router.push(path)
  await router.isReady()
  const w = mount({ template: '<router-view />' }, { attachTo: document.body, global: { plugins: [router, pinia, i18n, ElementPlus] } })
  await settle()
  return { w, router }
}

// Types a value into a grid cell and commits it, as the clerk does.
async function typeIntoCell(cell: string, value: string) {
  await body().get(`[data-cell="${cell}"]`).trigger('click')
  await settle(2)
  const sink = body().get<HTMLInputElement>('[data-testid="grid-editor"]')
  sink.element.value = value
  await sink.trigger('input')
  await sink.trigger('keydown', { key: 'Enter' })
}

const batches = new Map<number, Partial<Batch>>()
beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  vi.clearAllMocks()
  batches.clear()
  batches.set(7, { ...base })
  batches.set(8, { ...correction })
  api.getBatch.mockImplementation(async (id: number) => {
    const b = batches.get(id)
    if (!b) throw appErr('not_found', '找不到该批次。')
    return { ...b }
  })
  api.datasets.mockResolvedValue([dataset])
  api.rows.mockImplementation(async (id: number) => (id === 8 ? rowPage([81, 82]) : rowPage()))
  api.validate.mockImplementation(async (id: number) => report({ batchId: id, revision: batches.get(id)?.revision ?? 0 }))
  api.reviewTrail.mockResolvedValue([])
  api.seal.mockResolvedValue({ ...validSeal })
  api.correctionChanges.mockResolvedValue(changesOf())
  api.setCorrectionReason.mockResolvedValue(undefined)
  api.rowHistory.mockResolvedValue([])
})

// ---- 更正 and versions (clerk) -------------------------------------------------

describe('更正 in BatchView', () => {
  it('is offered to the clerk on an approved batch, which shows read-only with its valid seal', async () => {
    await mountAt('/entry/batch/7')
    expect(exists('correction-open')).toBe(true)
    expect(byTest('readonly').text()).toContain('由录入员点「更正」')
    expect(exists('batch-version')).toBe(false)
    expect(exists('batch-correction')).toBe(false)
    expect(exists('batch-row-history')).toBe(false) // never corrected: no versions to compare
    expect(api.correctionChanges).not.toHaveBeenCalled()
  })

  it('is not offered on a draft, nor to a user who is not a clerk', async () => {
    batches.set(7, { ...base, status: 'draft', editable: true })
    await mountAt('/entry/batch/7')
    expect(exists('correction-open')).toBe(false)
    expect(exists('batch-submit')).toBe(true)
  })

  it('is not offered to a reviewer looking at an approved batch', async () => {
    await mountAt('/entry/batch/7', ['reviewer'], '李强')
    expect(exists('correction-open')).toBe(false)
    expect(exists('batch-seal')).toBe(true)
  })

  it('creates version 2 and opens it in the same page, with 更正说明 beside the grid', async () => {
    api.correct.mockResolvedValue({ ...correction })
    const { router } = await mountAt('/entry/batch/7')
    await byTest('correction-open').trigger('click')
    await settle()
    await byTest('correction-confirm').trigger('click')
    await settle(12)
    expect(api.correct).toHaveBeenCalledWith(7, '')
    expect(router.currentRoute.value.params.id).toBe('8')
    expect(byTest('batch-status').text()).toBe('草稿')
    expect(byTest('batch-version').text()).toBe('版本 2（更正版本 1）')
    expect(exists('readonly')).toBe(false)
    expect(exists('correction-open')).toBe(false)
    expect(exists('batch-seal')).toBe(false) // a draft has no seal
    expect(api.correctionChanges).toHaveBeenCalledWith(8)
    expect(byTest('correction-panel').attributes('data-editable')).toBe('true')
    expect(body().get('[data-cell="0:amount"]').text()).toBe('320')
  })

  it('a stale refusal reads the batch again, which then says it is an old version', async () => {
    api.correct.mockImplementation(async () => {
      batches.set(7, { ...base, supersededBy: 8, readOnlyReason: '这是旧版本（版本 1），已有更正版本，只读。' })
      throw appErr('stale_edit', '版本 1 已有更正版本，请打开最新版本后再更正。')
    })
    await mountAt('/entry/batch/7')
    await byTest('correction-open').trigger('click')
    await settle()
    await byTest('correction-confirm').trigger('click')
    await settle(12)
    expect(byTest('batch-superseded').text()).toContain('这是旧版本（版本 1），已被更正')
  })

  it('an old version says so and opens the newest one, following every correction made since', async () => {
    batches.set(7, { ...base, supersededBy: 8 })
    batches.set(8, { ...correction, status: 'approved', editable: false, supersededBy: 9 })
    batches.set(9, { ...correction, id: 9, version: 3, replaces: 8 })
    const { router } = await mountAt('/entry/batch/7')
    expect(byTest('batch-superseded').text()).toContain('这是旧版本（版本 1），已被更正，请以最新版本为准')
    expect(exists('readonly')).toBe(false)
    expect(exists('correction-open')).toBe(false)
    expect(exists('batch-row-history')).toBe(true) // corrected since: its rows have a history
    await byTest('batch-open-latest').trigger('click')
    await settle(12)
    expect(router.currentRoute.value.params.id).toBe('9')
    expect(byTest('batch-version').text()).toBe('版本 3（更正版本 2）')
  })

  it('shows the rectification reference of a closed period’s correction in the header', async () => {
    batches.set(8, { ...correction, rectification: '某审计发〔2026〕12号' })
    await mountAt('/entry/batch/8')
    expect(byTest('batch-rectification').text()).toBe('整改通知文号：某审计发〔2026〕12号')
  })
})

// ---- 更正说明 (clerk, a correction) ----------------------------------------------

describe('a correction in BatchView', () => {
  it('lists the changes again after every grid save', async () => {
    api.save.mockResolvedValue({ revision: 1, rows: 2, added: [] })
    await mountAt('/entry/batch/8')
    expect(api.correctionChanges).toHaveBeenCalledTimes(1)
    expect(byTest('correction-change').text()).toContain('300')
    await typeIntoCell('1:amount', '460')
    await sleep(400) // the save queue's pause
    await settle()
    expect(api.save).toHaveBeenCalledWith(8, expect.objectContaining({ cells: [{ rowId: 82, field: 'amount', value: '460' }] }))
    expect(api.correctionChanges).toHaveBeenCalledTimes(2)
  })

  it('shows how many reasons are missing next to 提交审核; the click puts the cursor in the first empty one', async () => {
    await mountAt('/entry/batch/8')
    const missing = byTest('batch-missing-reasons')
    expect(missing.text()).toBe('1 处更正未填原因')
    await missing.trigger('click')
    await settle()
    expect(document.activeElement?.matches('[data-testid="batch-correction"] input[data-reason-input]')).toBe(true)
  })

  it('stores a reason typed but not saved before it submits, then shows the backend’s refusal', async () => {
    api.submitForReview.mockRejectedValue(appErr('bad_input', '还有 1 处更正没有填写原因，请在「更正说明」中逐行填写后再提交。'))
    await mountAt('/entry/batch/8')
    await body().get('[data-testid="batch-correction"] input[data-reason-input]').setValue('补助标准调整')
    expect(api.setCorrectionReason).not.toHaveBeenCalled()
    await byTest('batch-submit').trigger('click')
    await settle()
    expect(api.setCorrectionReason).toHaveBeenCalledWith(8, { rowId: 81, origin: 0, text: '补助标准调整' })
    // stored before the revision to submit was validated
    const stored = api.setCorrectionReason.mock.invocationCallOrder[0]
    expect(stored).toBeLessThan(api.validate.mock.invocationCallOrder.at(-1)!)
    await byTest('submit-confirm').trigger('click')
    await settle()
    expect(api.submitForReview).toHaveBeenCalledWith(8, 0, false, '')
    expect(byTest('submit-refusal').text()).toBe('还有 1 处更正没有填写原因，请在「更正说明」中逐行填写后再提交。')
    expect(byTest('batch-status').text()).toBe('草稿')
  })

  it('does not open the submit dialog when a reason could not be stored', async () => {
    api.setCorrectionReason.mockRejectedValue(appErr('internal', '无法保存更正原因。'))
    await mountAt('/entry/batch/8')
    await body().get('[data-testid="batch-correction"] input[data-reason-input]').setValue('补助标准调整')
    await byTest('batch-submit').trigger('click')
    await settle()
    expect(body().text()).toContain('有更正原因没有保存成功')
    expect(api.submitForReview).not.toHaveBeenCalled()
    expect(body().find('[data-testid="submit-clean"]').exists()).toBe(false)
  })

  it('stores a typed reason when the clerk leaves the page', async () => {
    const { router } = await mountAt('/entry/batch/8')
    await body().get('[data-testid="batch-correction"] input[data-reason-input]').setValue('补助标准调整')
    await router.push('/entry')
    await settle()
    expect(api.setCorrectionReason).toHaveBeenCalledWith(8, { rowId: 81, origin: 0, text: '补助标准调整' })
    expect(router.currentRoute.value.name).toBe('entry')
  })

  it('定位 puts the grid on the changed cell; 历史 opens the record across versions', async () => {
    await mountAt('/entry/batch/8')
    await byTest('correction-locate').trigger('click')
    await settle()
    expect(byTest('grid-info').text()).toContain('第 1 行 · 补助金额')
    await byTest('correction-history').trigger('click')
    await settle()
    expect(api.rowHistory).toHaveBeenCalledWith(8, 81)
    expect(byTest('history-dialog').isVisible()).toBe(true)
  })

  it('历史 in the toolbar acts on the selected row, and asks for one first', async () => {
    await mountAt('/entry/batch/8')
    await byTest('batch-row-history').trigger('click')
    await settle()
    expect(body().text()).toContain('请先在表格中点击要查看的行')
    expect(api.rowHistory).not.toHaveBeenCalled()

    await body().get('[data-cell="1:name"]').trigger('click')
    await settle()
    await byTest('batch-row-history').trigger('click')
    await settle()
    expect(api.rowHistory).toHaveBeenCalledWith(8, 82)
  })

  it('folds 更正说明 to a tab and back, keeping what was typed', async () => {
    await mountAt('/entry/batch/8')
    const input = () => body().get<HTMLInputElement>('[data-testid="batch-correction"] input[data-reason-input]')
    await input().setValue('补助标准调整')
    await byTest('batch-correction-collapse').trigger('click')
    await settle()
    expect(byTest('batch-correction').isVisible()).toBe(false)
    expect(byTest('batch-correction-expand').text()).toContain('更正说明')
    await byTest('batch-correction-expand').trigger('click')
    await settle()
    expect(byTest('batch-correction').isVisible()).toBe(true)
    expect(input().element.value).toBe('补助标准调整')
  })

  it('once submitted, shows the changes read-only', async () => {
    batches.set(8, { ...correction, status: 'submitted', editable: false })
    api.correctionChanges.mockResolvedValue(changesOf('县民政局通知调整标准'))
    await mountAt('/entry/batch/8')
    expect(byTest('correction-panel').attributes('data-editable')).toBe('false')
    expect(byTest('correction-title').text()).toBe('与版本 1 相比的更改')
    expect(byTest('correction-reason-text').text()).toContain('县民政局通知调整标准')
    expect(exists('batch-missing-reasons')).toBe(false)
  })
})

// ---- the approval seal -------------------------------------------------------

describe('the approval seal', () => {
  it('valid: one green line, who signed and when', async () => {
    await mountAt('/entry/batch/7')
    expect(api.seal).toHaveBeenCalledWith(7)
    const seal = byTest('batch-seal')
    expect(seal.attributes('data-state')).toBe('valid')
    expect(seal.text()).toBe('✓ 已由 李强 于 2026-11-23 18:00:00 签名确认，数据未被改动')
  })

  it('broken: a red alert that says the data changed after approval, why, and to call the reviewer', async () => {
    api.seal.mockResolvedValue({
      ...validSeal,
      state: 'broken',
      code: 'content_changed',
      message: '审核后第 2 行的数据被改动过，与审核签名不一致。',
    })
    await mountAt('/entry/batch/7')
    const seal = byTest('batch-seal')
    expect(seal.attributes('data-state')).toBe('broken')
    expect(seal.find('.el-alert--error[role="alert"]').exists()).toBe(true)
    expect(seal.isVisible()).toBe(true)
    expect(seal.text()).toContain('审核签名核对不通过：本批次审核通过后数据被改动过')
    expect(seal.text()).toContain('原因：审核后第 2 行的数据被改动过，与审核签名不一致。')
    expect(seal.text()).toContain('原审核签名：李强 于 2026-11-23 18:00:00')
    expect(seal.text()).toContain('联系审核员')
    expect(seal.find('.el-alert__close-btn').exists()).toBe(false)
  })

  it('a check that fails says so and can be retried', async () => {
    api.seal.mockRejectedValueOnce(appErr('internal', '无法读取审核签名。'))
    await mountAt('/entry/batch/7')
    expect(byTest('batch-seal').text()).toContain('无法核对审核签名：无法读取审核签名。')
    await byTest('batch-seal').get('button').trigger('click')
    await settle()
    expect(byTest('batch-seal').attributes('data-state')).toBe('valid')
  })

  it('is not checked before approval', async () => {
    await mountAt('/entry/batch/8')
    expect(api.seal).not.toHaveBeenCalled()
    expect(exists('batch-seal')).toBe(false)
  })
})

// ---- the reviewer --------------------------------------------------------------

describe('审核 of a correction (ReviewBatch)', () => {
  const submitted = { ...correction, status: 'submitted', editable: false, revision: 3 } as Batch

  beforeEach(() => {
    api.reviewWaiting.mockResolvedValue([submitted])
    api.correctionChanges.mockResolvedValue(changesOf('县民政局通知调整标准'))
  })

  it('marks a correction in the queue', async () => {
    await mountAt('/review', ['reviewer'], '李强')
    expect(byTest('review-queue-correction').text()).toBe('更正 · 版本 2')
  })

  it('shows the diff read-only above the rows, with the reason, 定位 and 历史', async () => {
    await mountAt('/review/batch/8', ['reviewer'], '李强')
    expect(byTest('review-version').text()).toBe('版本 2（更正版本 1）')
    const diff = byTest('review-diff')
    expect(diff.get('[data-testid="correction-panel"]').attributes('data-editable')).toBe('false')
    expect(diff.get('[data-testid="correction-title"]').text()).toBe('与版本 1 相比的更改')
    const change = diff.get('[data-testid="correction-change"]')
    expect(change.text().replace(/\s+/g, '')).toContain('补助金额（元）：300→320')
    expect(change.get('del').text()).toBe('300')
    expect(change.get('strong').text()).toBe('320')
    expect(change.get('[data-testid="correction-reason-text"]').text()).toContain('县民政局通知调整标准')
    expect(diff.find('input').exists()).toBe(false)

    // 定位 selects the row for a row comment
    await change.get('[data-testid="correction-locate"]').trigger('click')
    await settle()
    expect(byTest('row-comment-target').text()).toContain('第 1 行')

    await change.get('[data-testid="correction-history"]').trigger('click')
    await settle()
    expect(api.rowHistory).toHaveBeenCalledWith(8, 81)
  })

  it('a first version has no diff, and says so in one line', async () => {
    api.reviewWaiting.mockResolvedValue([{ ...base, status: 'submitted', editable: false }])
    await mountAt('/review/batch/7', ['reviewer'], '李强')
    expect(byTest('review-first-version').text()).toBe('首次报送，无对比版本。')
    expect(exists('review-diff')).toBe(false)
    expect(api.correctionChanges).not.toHaveBeenCalled()
  })

  it('checks the seal once approved', async () => {
    api.approveBatch.mockResolvedValue({ ...submitted, status: 'approved' })
    await mountAt('/review/batch/8', ['reviewer'], '李强')
    expect(api.seal).not.toHaveBeenCalled()
    await byTest('review-approve').trigger('click')
    await settle()
    await body().get('.el-message-box .el-button--primary').trigger('click')
    await settle()
    expect(api.seal).toHaveBeenCalledWith(8)
    expect(byTest('batch-seal').text()).toContain('已由 李强 于 2026-11-23 18:00:00 签名确认，数据未被改动')
  })
})
