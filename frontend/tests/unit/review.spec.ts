// The review UI's rules and dialogs: the helpers that read a trail and put
// row comments on the grid, the clerk's submit dialog (a 说明 is required
// to confirm warnings) and the reviewer's return dialog (a reason of at
// least 4 characters).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '../../src/i18n'
import type { Batch, Issue, ReviewStep } from '../../src/api/backend'
import type { GridField, GridRow } from '../../src/components/grid/types'

const api = vi.hoisted(() => ({ submitForReview: vi.fn(), returnBatch: vi.fn() }))
vi.mock('../../src/api/backend', () => ({ api }))

import SubmitDialog from '../../src/components/review/SubmitDialog.vue'
import ReturnDialog from '../../src/components/review/ReturnDialog.vue'
import {
  ageDays,
  applyNotes,
  canSubmitFrom,
  charCount,
  listIssues,
  openReturn,
  placeComments,
  REVIEW_NOTE,
  type ListedIssue,
  type PlacedComment,
} from '../../src/components/review/review'
import { appErr, body, byTest, exists, settleFor } from './testkit'

enableAutoUnmount(afterEach)

// Element Plus puts a text box's test id on the <textarea> itself.
const textarea = (id: string) => body().get<HTMLTextAreaElement>(`textarea[data-testid="${id}"]`)

const fields: GridField[] = [
  { code: 'name', label: '姓名', type: 'text', required: true, help: '' },
  { code: 'amount', label: '补助金额', type: 'money', required: true, help: '' },
]
const gridRows = (): GridRow[] => [
  { id: 21, cells: { name: '王芳', amount: '300' }, issues: [] },
  { id: 22, cells: { name: '李娜', amount: '0' }, issues: [{ field: 'amount', code: 'amount_zero', severity: 'warning', message: '补助金额为 0。' }] },
]
const step = (p: Partial<ReviewStep>): ReviewStep =>
  ({ id: 1, action: 'submit', from: 'draft', to: 'submitted', userName: '张敏', comment: '', warnings: 0, at: '2026-11-20T02:00:00Z', rowComments: [], ...p }) as ReviewStep

describe('review helpers', () => {
  it('counts characters as people do', () => {
    expect(charCount(' 不对 ')).toBe(2)
    expect(charCount('金额有误')).toBe(4)
    expect(charCount('𠀀𠀁')).toBe(2) // outside the BMP: one each, not two
  })

  it('knows from which statuses the clerk submits', () => {
    expect(['draft', 'returned'].every(canSubmitFrom)).toBe(true)
    expect(['submitted', 'approved', 'queued', undefined].some(canSubmitFrom)).toBe(false)
  })

  it('finds the return the clerk has to act on, and only while the batch is returned', () => {
    const ret = step({ id: 2, action: 'return', comment: '金额不符，请核对' })
    const trail = [step({}), ret]
    expect(openReturn(trail, 'returned')).toBe(ret)
    expect(openReturn(trail, 'draft')).toBeUndefined()
    expect(openReturn([...trail, step({ id: 3 })], 'returned')).toBeUndefined()
    expect(openReturn([], 'returned')).toBeUndefined()
  })

  it('counts whole days waiting, never negative', () => {
    const now = new Date('2026-11-23T12:00:00Z')
    expect(ageDays('2026-11-23T01:00:00Z', now)).toBe(0)
    expect(ageDays('2026-11-20T11:00:00Z', now)).toBe(3)
    expect(ageDays('2026-11-24T00:00:00Z', now)).toBe(0)
    expect(ageDays('not a date', now)).toBe(0)
  })

  it('places row comments by row number and field label, gone rows last', () => {
    const placed = placeComments(
      [
        { rowId: 99, field: 'amount', comment: '该行已删' },
        { rowId: 22, field: 'amount', comment: '金额为 0' },
        { rowId: 21, field: '', comment: '整行核对' },
      ],
      gridRows(),
      fields,
    )
    expect(placed.map((c) => [c.row, c.fieldLabel, c.comment])).toEqual([
      [1, '', '整行核对'],
      [2, '补助金额', '金额为 0'],
      [0, '补助金额', '该行已删'],
    ])
  })

  it('puts row comments on the grid as marked notes, replacing earlier ones and keeping validation', () => {
    const rows = gridRows()
    const before = rows[1].issues
    applyNotes(rows, [{ rowId: 22, field: 'amount', comment: '请核对' }], '审核意见')
    expect(rows[1].issues).not.toBe(before) // a new array: the grid re-renders the row
    expect(rows[1].issues.map((i) => [i.code, i.message])).toEqual([
      ['amount_zero', '补助金额为 0。'],
      [REVIEW_NOTE, '审核意见：请核对'],
    ])
    const untouched = rows[0].issues
    applyNotes(rows, [], '审核意见')
    expect(rows[1].issues.map((i) => i.code)).toEqual(['amount_zero'])
    expect(rows[0].issues).toBe(untouched)
  })

  it('lists validation issues with row numbers and field labels', () => {
    const issues = [
      { rowId: 22, field: 'amount', code: 'amount_zero', severity: 'warning', message: 'm1', row: 2 },
      { rowId: 0, field: '', code: 'x', severity: 'error', message: 'm2', row: 0 },
    ] as unknown as Issue[]
    expect(listIssues(issues, gridRows(), fields).map((i) => [i.row, i.fieldLabel, i.severity])).toEqual([
      [2, '补助金额', 'warning'],
      [0, '', 'error'],
    ])
  })
})

const batch = { id: 7, revision: 5, rows: 2, status: 'draft', datasetName: '个人补助资金发放表', periodLabel: '2026年11月' } as Batch
const warning: ListedIssue = { rowId: 22, row: 2, field: 'amount', fieldLabel: '补助金额', severity: 'warning', message: '补助金额为 0，请核对。' }

const settle = () => settleFor(4, 5)

function mountSubmit(warnings: ListedIssue[]) {
  const w = mount(SubmitDialog, {
    props: { modelValue: false, batch, revision: 9, warnings, 'onUpdate:modelValue': (v: boolean) => w.setProps({ modelValue: v }) },
    attachTo: document.body,
    global: { plugins: [i18n, ElementPlus] },
  })
  return w
}

describe('SubmitDialog', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    vi.clearAllMocks()
  })

  it('without warnings submits the shown revision without confirmation or 说明', async () => {
    api.submitForReview.mockResolvedValue({ ...batch, status: 'submitted', editable: false })
    const w = mountSubmit([])
    await w.setProps({ modelValue: true })
    await settle()
    expect(byTest('submit-clean').text()).toContain('共 2 行，校验没有发现错误或提醒')
    expect(exists('submit-note')).toBe(false)
    await byTest('submit-confirm').trigger('click')
    await settle()
    expect(api.submitForReview).toHaveBeenCalledWith(7, 9, false, '')
    expect(w.emitted('submitted')?.[0][0]).toMatchObject({ status: 'submitted' })
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([false])
  })

  it('with warnings lists them and requires a 说明 before submitting with confirmWarnings', async () => {
    api.submitForReview.mockResolvedValue({ ...batch, status: 'submitted' })
    const w = mountSubmit([warning])
    await w.setProps({ modelValue: true })
    await settle()
    expect(byTest('submit-warnings').text()).toContain('第 2 行 · 补助金额')
    expect(byTest('submit-warnings').text()).toContain('补助金额为 0，请核对。')
    expect(byTest('submit-confirm').text()).toBe('确认提醒并提交')

    await byTest('submit-confirm').trigger('click')
    await settle()
    expect(api.submitForReview).not.toHaveBeenCalled()
    expect(body().text()).toContain('请写明为什么这些提醒不影响提交（至少 2 个字）')

    await textarea('submit-note').setValue('无')
    await byTest('submit-confirm').trigger('click')
    await settle()
    expect(api.submitForReview).not.toHaveBeenCalled()

    await textarea('submit-note').setValue('  本月停发，已核实  ')
    await byTest('submit-confirm').trigger('click')
    await settle()
    expect(api.submitForReview).toHaveBeenCalledWith(7, 9, true, '本月停发，已核实')
    expect(w.emitted('submitted')).toHaveLength(1)
  })

  it('Ctrl+Enter submits from the 说明 box', async () => {
    api.submitForReview.mockResolvedValue({ ...batch, status: 'submitted' })
    const w = mountSubmit([warning])
    await w.setProps({ modelValue: true })
    await settle()
    await textarea('submit-note').setValue('已核实停发')
    await textarea('submit-note').trigger('keydown', { key: 'Enter', ctrlKey: true })
    await settle()
    expect(api.submitForReview).toHaveBeenCalledWith(7, 9, true, '已核实停发')
  })

  it('shows the backend refusal and tells the page why', async () => {
    api.submitForReview.mockRejectedValue(appErr('bad_input', '批次还有 1 个错误，改正后才能提交审核。'))
    const w = mountSubmit([])
    await w.setProps({ modelValue: true })
    await settle()
    await byTest('submit-confirm').trigger('click')
    await settle()
    expect(byTest('submit-refusal').text()).toContain('批次还有 1 个错误，改正后才能提交审核。')
    expect(w.emitted('refused')).toEqual([['bad_input']])
    expect(w.emitted('submitted')).toBeUndefined()
  })
})

const submitted = { ...batch, status: 'submitted' } as Batch
const comments: PlacedComment[] = [{ rowId: 22, row: 2, field: 'amount', fieldLabel: '补助金额', comment: '金额为 0，请核对' }]

function mountReturn(list = comments) {
  const w = mount(ReturnDialog, {
    props: { modelValue: false, batch: submitted, comments: list, 'onUpdate:modelValue': (v: boolean) => w.setProps({ modelValue: v }) },
    attachTo: document.body,
    global: { plugins: [i18n, ElementPlus] },
  })
  return w
}

describe('ReturnDialog', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    vi.clearAllMocks()
  })

  it('refuses a reason shorter than 4 characters without calling the backend', async () => {
    const w = mountReturn()
    await w.setProps({ modelValue: true })
    await settle()
    await byTest('return-confirm').trigger('click')
    await settle()
    expect(body().text()).toContain('请写明退回原因（至少 4 个字）')
    await textarea('return-comment-input').setValue('  不对  ') // 2 characters once trimmed
    await byTest('return-confirm').trigger('click')
    await settle()
    expect(api.returnBatch).not.toHaveBeenCalled()
    expect(w.emitted('returned')).toBeUndefined()
  })

  it('returns with the trimmed reason and the row comments', async () => {
    api.returnBatch.mockResolvedValue({ ...batch, status: 'returned' })
    const w = mountReturn()
    await w.setProps({ modelValue: true })
    await settle()
    expect(byTest('return-row-list').text()).toContain('第 2 行 · 补助金额')
    await textarea('return-comment-input').setValue(' 金额与原件不符 ')
    await byTest('return-confirm').trigger('click')
    await settle()
    expect(api.returnBatch).toHaveBeenCalledWith(7, 5, '金额与原件不符', [{ rowId: 22, field: 'amount', comment: '金额为 0，请核对' }])
    expect(w.emitted('returned')?.[0][0]).toMatchObject({ status: 'returned' })
  })

  it('lets a row comment be removed, and says when there are none', async () => {
    const w = mountReturn()
    await w.setProps({ modelValue: true })
    await settle()
    await byTest('return-row-list').get('button').trigger('click')
    expect(w.emitted('remove')).toEqual([[0]])
    await w.setProps({ comments: [] })
    expect(exists('return-no-rows')).toBe(true)
  })

  it("shows the backend's refusal", async () => {
    api.returnBatch.mockRejectedValue(appErr('stale_edit', '该批次已在别处被修改（版本 6），请刷新后再操作。'))
    const w = mountReturn([])
    await w.setProps({ modelValue: true })
    await settle()
    await textarea('return-comment-input').setValue('金额与原件不符')
    await byTest('return-confirm').trigger('click')
    await settle()
    expect(byTest('return-refusal').text()).toContain('请刷新后再操作')
    expect(w.emitted('returned')).toBeUndefined()
  })
})
