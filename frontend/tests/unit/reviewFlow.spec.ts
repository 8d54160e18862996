// The review workflow as the pages run it, over a mocked backend: the
// clerk's 提交审核 in BatchView (errors stop it and the error list takes
// the keyboard, warnings need a 说明, success makes the batch read-only), a
// returned batch's banner and row comments, and the reviewer's queue and
// batch page (row comments from the grid, refusals shown).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '../../src/i18n'
import type { Batch, Report, ReviewStep, SessionView } from '../../src/api/backend'

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
  onImportProgress: vi.fn(() => () => {}),
  exportTemplate: vi.fn(),
  exportBatch: vi.fn(),
}))
vi.mock('../../src/api/backend', () => ({ api }))

import BatchView from '../../src/views/BatchView.vue'
import ReviewView from '../../src/views/ReviewView.vue'
import { useSessionStore } from '../../src/stores/session'
import { giveElementsASize, appErr, body, byTest, exists, focusedIn, settleFor } from './testkit'

enableAutoUnmount(afterEach)

giveElementsASize()

const textarea = (id: string) => body().get<HTMLTextAreaElement>(`textarea[data-testid="${id}"]`)

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
const draft = {
  id: 7,
  dataset: 'msj_roster',
  datasetName: '个人补助资金发放表',
  periodLabel: '2026年11月',
  deadline: '2026-12-31',
  daysLeft: 38,
  status: 'draft',
  editable: true,
  revision: 3,
  rows: 2,
} as Batch
const rowPage = {
  total: 2,
  rows: [
    { id: 21, cells: { name: '王芳', amount: '300' } },
    { id: 22, cells: { name: '李娜', amount: '0' } },
  ],
}
const report = (p: Partial<Report>): Report => ({ batchId: 7, dataset: 'msj_roster', revision: 3, rows: 2, errors: 0, warnings: 0, issues: [], ...p }) as Report
const issue = (rowId: number, field: string, severity: string, message: string) => ({ rowId, field, code: 'c', severity, message, row: 0 })
const step = (p: Partial<ReviewStep>): ReviewStep =>
  ({ id: 1, action: 'submit', from: 'draft', to: 'submitted', userName: '张敏', comment: '', warnings: 0, at: '2026-11-20T02:00:00Z', rowComments: [], ...p }) as ReviewStep

function session(roles: string[], name: string): SessionView {
  return { user: { id: '1', name, orgUnit: '演示县民政局', roles }, pages: ['workbench', 'entry', 'review'], locked: false } as unknown as SessionView
}

async function mountAt(path: string, roles: string[], name: string) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().set(session(roles, name))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/entry', name: 'entry', component: { template: '<div/>' } },
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

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  vi.clearAllMocks()
  api.datasets.mockResolvedValue([dataset])
  api.rows.mockResolvedValue(rowPage)
  api.reviewTrail.mockResolvedValue([])
})

describe('提交审核 (clerk, BatchView)', () => {
  beforeEach(() => {
    api.getBatch.mockResolvedValue({ ...draft })
  })

  it('stops on errors: shows the count, lists them and gives the list the keyboard; nothing is submitted', async () => {
    api.validate.mockResolvedValue(report({ errors: 1, issues: [issue(21, 'name', 'error', '姓名不能为空。')] }))
    await mountAt('/entry/batch/7', ['clerk'], '张敏')
    await byTest('batch-submit').trigger('click')
    await settle()
    expect(byTest('submit-errors').text()).toContain('批次还有 1 个错误，改正后才能提交审核。')
    expect(byTest('error-list').text()).toContain('第 1 行 · 姓名')
    expect(byTest('error-list').text()).toContain('姓名不能为空。')
    expect(focusedIn()).toBe('error-list')
    expect(api.submitForReview).not.toHaveBeenCalled()
    expect(body().find('[data-testid="submit-dialog"]').exists() && byTest('submit-dialog').isVisible()).toBeFalsy()

    // Enter on an error goes to its cell.
    ;(document.activeElement as HTMLButtonElement).click()
    await settle()
    expect(focusedIn()).toBe('grid-editor')
  })

  it('with warnings asks for a 说明, then submits with confirmWarnings; the batch turns read-only', async () => {
    api.validate.mockResolvedValue(report({ warnings: 1, issues: [issue(22, 'amount', 'warning', '补助金额为 0，请核对。')] }))
    api.submitForReview.mockResolvedValue({ ...draft, status: 'submitted', editable: false, revision: 4, readOnlyReason: '该批次已提交（已提交待审核），只读。' })
    api.reviewTrail.mockResolvedValueOnce([]).mockResolvedValue([step({ warnings: 1, comment: '本月停发，已核实' })])
    await mountAt('/entry/batch/7', ['clerk'], '张敏')
    expect(byTest('batch-status').text()).toBe('草稿')
    await byTest('batch-submit').trigger('click')
    await settle()
    expect(byTest('submit-warnings').text()).toContain('第 2 行 · 补助金额')

    await byTest('submit-confirm').trigger('click')
    await settle()
    expect(byTest('submit-note-error').text()).toContain('请写明为什么这些提醒不影响提交')
    expect(api.submitForReview).not.toHaveBeenCalled()

    await textarea('submit-note').setValue('本月停发，已核实')
    await byTest('submit-confirm').trigger('click')
    await settle()
    expect(api.submitForReview).toHaveBeenCalledWith(7, 3, true, '本月停发，已核实')
    expect(byTest('batch-status').text()).toBe('已提交')
    expect(byTest('readonly').text()).toContain('只读')
    expect(exists('batch-submit')).toBe(false)
    expect(exists('grid-add-row')).toBe(false)
  })

  it('without findings submits after one confirmation', async () => {
    api.validate.mockResolvedValue(report({}))
    api.submitForReview.mockResolvedValue({ ...draft, status: 'submitted', editable: false })
    await mountAt('/entry/batch/7', ['clerk'], '张敏')
    await byTest('batch-submit').trigger('click')
    await settle()
    expect(byTest('submit-clean').text()).toContain('共 2 行')
    await byTest('submit-confirm').trigger('click')
    await settle()
    expect(api.submitForReview).toHaveBeenCalledWith(7, 3, false, '')
    expect(byTest('batch-status').text()).toBe('已提交')
  })

  it('when the backend refuses for errors found since, validates again and lists them', async () => {
    api.validate
      .mockResolvedValueOnce(report({})) // on open
      .mockResolvedValueOnce(report({})) // on 提交审核
      .mockResolvedValue(report({ errors: 1, issues: [issue(22, 'amount', 'error', '金额格式不对。')] }))
    api.submitForReview.mockRejectedValue(appErr('bad_input', '批次还有 1 个错误，改正后才能提交审核。'))
    await mountAt('/entry/batch/7', ['clerk'], '张敏')
    await byTest('batch-submit').trigger('click')
    await settle()
    await byTest('submit-confirm').trigger('click')
    await settle()
    expect(byTest('error-list').text()).toContain('第 2 行 · 补助金额')
    expect(focusedIn()).toBe('error-list')
  })

  it('is not offered on a submitted batch; the trail still is', async () => {
    api.validate.mockResolvedValue(report({}))
    api.getBatch.mockResolvedValue({ ...draft, status: 'submitted', editable: false })
    await mountAt('/entry/batch/7', ['clerk'], '张敏')
    expect(exists('batch-submit')).toBe(false)
    expect(exists('batch-trail')).toBe(true)
  })
})

describe('a returned batch (clerk, BatchView)', () => {
  const returned = step({ id: 2, action: 'return', from: 'submitted', to: 'returned', userName: '李强', comment: '第 2 行金额为 0，请核对后重新提交。', rowComments: [{ rowId: 22, field: 'amount', comment: '停发人员不列入发放表' }] as never })

  beforeEach(() => {
    api.getBatch.mockResolvedValue({ ...draft, status: 'returned' })
    api.validate.mockResolvedValue(report({ warnings: 1, issues: [issue(22, 'amount', 'warning', '补助金额为 0。')] }))
    api.reviewTrail.mockResolvedValue([step({}), returned])
  })

  it('shows the reason in a banner and the row comment on the cell and in a list that jumps to it', async () => {
    await mountAt('/entry/batch/7', ['clerk'], '张敏')
    expect(byTest('batch-status').text()).toBe('已退回')
    expect(byTest('return-comment').text()).toBe('第 2 行金额为 0，请核对后重新提交。')
    expect(byTest('return-by').text()).toMatch(/^李强 于 2026-11-20 10:00:00 退回$/)
    const item = byTest('return-row-comments').get('button')
    expect(item.text()).toContain('第 2 行 · 补助金额')
    expect(item.text()).toContain('停发人员不列入发放表')

    // On the cell: a mark with the comment as its tooltip, beside the validation warning.
    const cell = body().get('[data-cell="1:amount"]')
    expect(cell.attributes('data-issue')).toBe('warning')
    expect(cell.attributes('title')).toContain('补助金额为 0。')
    expect(cell.attributes('title')).toContain('审核意见：停发人员不列入发放表')
    expect(body().get('[data-cell="0:amount"]').attributes('title')).toBeUndefined()

    await item.trigger('click')
    await settle()
    expect(focusedIn()).toBe('grid-editor')
    expect(byTest('grid-info').text()).toContain('第 2 行 · 补助金额')
  })

  it('keeps the row comment on the cell after a re-validation', async () => {
    await mountAt('/entry/batch/7', ['clerk'], '张敏')
    await byTest('batch-validate').trigger('click')
    await settle()
    expect(body().get('[data-cell="1:amount"]').attributes('title')).toContain('审核意见：停发人员不列入发放表')
  })

  it('shows the trail in the 审核记录 drawer, newest first', async () => {
    await mountAt('/entry/batch/7', ['clerk'], '张敏')
    await byTest('batch-trail').trigger('click')
    await settle()
    const items = body().findAll('[data-testid="trail-list"] [data-action]')
    expect(items.map((i) => i.attributes('data-action'))).toEqual(['return', 'submit'])
    expect(items[0].text()).toContain('李强')
    expect(items[0].text()).toContain('意见：第 2 行金额为 0')
    expect(items[0].text()).toContain('对 1 行提了意见')
  })
})

describe('审核 (reviewer, ReviewView)', () => {
  const submitted = { ...draft, status: 'submitted', editable: false, revision: 4, updatedAt: '2026-11-20T02:00:00Z' } as Batch

  beforeEach(() => {
    api.reviewWaiting.mockResolvedValue([submitted])
    api.reviewTrail.mockResolvedValue([step({ warnings: 1, comment: '本月停发，已核实' })])
    api.validate.mockResolvedValue(report({}))
  })

  it('lists the queue with who submitted, when, how long ago and the warnings confirmed', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-23T04:00:00Z') })
    try {
      await mountAt('/review', ['reviewer'], '李强')
    } finally {
      vi.useRealTimers()
    }
    const row = byTest('review-queue-table').get('tbody tr').text()
    for (const s of ['个人补助资金发放表', '2026年11月', '张敏', '2026-11-20 10:00:00', '3 天', '1']) expect(row).toContain(s)
    expect(byTest('review-queue-count').text()).toBe('共 1 个')
  })

  it('notes a row comment from the grid and returns with it', async () => {
    api.returnBatch.mockResolvedValue({ ...submitted, status: 'returned' })
    await mountAt('/review/batch/7', ['reviewer'], '李强')
    expect(byTest('review-warnings-note').text()).toContain('本月停发，已核实')
    expect(exists('row-comment-pick')).toBe(true)

    await body().get('[data-cell="1:amount"]').trigger('click')
    await settle()
    expect(byTest('row-comment-target').text()).toContain('第 2 行')
    await textarea('row-comment-text').setValue('停发人员不列入发放表')
    await byTest('row-comment-add').trigger('click')
    await settle()
    expect(byTest('row-comment-list').text()).toContain('第 2 行 · 补助金额')
    expect(body().get('[data-cell="1:amount"]').attributes('title')).toContain('审核意见：停发人员不列入发放表')

    await byTest('review-return').trigger('click')
    await settle()
    await textarea('return-comment-input').setValue('请核对第 2 行')
    await byTest('return-confirm').trigger('click')
    await settle()
    expect(api.returnBatch).toHaveBeenCalledWith(7, 4, '请核对第 2 行', [{ rowId: 22, field: 'amount', comment: '停发人员不列入发放表' }])
    expect(byTest('review-status').text()).toBe('已退回')
    expect(byTest('review-approve').attributes('disabled')).toBeDefined()
  })

  it("shows the backend's refusal of a self-approval and keeps the batch as it was", async () => {
    api.approveBatch.mockRejectedValue(appErr('forbidden', '您录入或修改过这个批次，不能审核自己的数据，请由其他审核员审核。'))
    await mountAt('/review/batch/7', ['reviewer'], '李强')
    await byTest('review-approve').trigger('click')
    await settle()
    const box = body().get('.el-message-box')
    expect(box.text()).toContain('（2 行）不能再修改')
    await box.get('.el-button--primary').trigger('click')
    await settle()
    expect(api.approveBatch).toHaveBeenCalledWith(7, 4)
    expect(byTest('review-refusal').text()).toContain('不能审核自己的数据')
    expect(byTest('review-status').text()).toBe('已提交')
  })

  it('says so when the rows cannot be read: no approval unseen, a return is still possible, and 重新载入 tries again', async () => {
    api.rows.mockRejectedValueOnce(appErr('internal', '无法读取批次数据。'))
    await mountAt('/review/batch/7', ['reviewer'], '李强')
    expect(byTest('review-rows-error').text()).toContain('无法读取本批次的明细数据：无法读取批次数据。')
    expect(exists('data-grid')).toBe(false)
    expect(byTest('review-approve').attributes('disabled')).toBeDefined()
    expect(byTest('review-return').attributes('disabled')).toBeUndefined()

    await byTest('review-rows-retry').trigger('click')
    await settle()
    expect(exists('review-rows-error')).toBe(false)
    expect(body().get('[data-cell="1:amount"]').text()).toBe('0')
    expect(byTest('review-approve').attributes('disabled')).toBeUndefined()
  })

  it('tells the reviewer when the batch is no longer waiting', async () => {
    api.reviewWaiting.mockResolvedValue([])
    api.getBatch.mockRejectedValue(appErr('forbidden', '当前用户的角色无权执行此操作。'))
    await mountAt('/review/batch/7', ['reviewer'], '李强')
    expect(byTest('review-load-error').text()).toContain('不在待审核列表中')
  })
})
