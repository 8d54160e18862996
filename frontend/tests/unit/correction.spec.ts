import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '../../src/i18n'
import type { Batch, Changes, Field, RowVersion } from '../../src/api/backend'

const api = vi.hoisted(() => ({
  correct: vi.fn(),
  setCorrectionReason: vi.fn(),
  correctionChanges: vi.fn(),
  rowHistory: vi.fn(),
  exportRowHistory: vi.fn(),
  saveAs: vi.fn(),
  showInFolder: vi.fn(),
}))
vi.mock('../../src/api/backend', () => ({ api }))

import CorrectButton from '../../src/components/correction/CorrectButton.vue'
import CorrectionPanel from '../../src/components/correction/CorrectionPanel.vue'
import RowHistoryDialog from '../../src/components/correction/RowHistoryDialog.vue'
import { canCorrect, cellText, changeKey, reasonTarget } from '../../src/components/correction/correction'
import { appErr, body, byTest, exists, settleFor } from './testkit'

enableAutoUnmount(afterEach)
const global = { plugins: [i18n, ElementPlus] }

const settle = () => settleFor(6, 5)

function batchOf(over: Partial<Batch> = {}): Batch {
  return {
    id: 7,
    dataset: 'msj_roster',
    datasetName: '个人补助资金发放表',
    period: '2026-03',
    periodLabel: '2026年3月',
    periodStatus: 'overdue',
    version: 2,
    replaces: 0,
    supersededBy: 0,
    rectification: '',
    status: 'approved',
    revision: 4,
    rows: 3,
    editable: false,
    ...over,
  } as Batch
}

// ---- 更正 button -----------------------------------------------------------

describe('CorrectButton', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    vi.clearAllMocks()
  })

  function mountButton(b: Batch) {
    return mount(CorrectButton, { props: { batch: b }, attachTo: document.body, global })
  }

  it('explains the correction and creates version + 1 without a reference while the period is open', async () => {
    const created = batchOf({ id: 8, version: 3, replaces: 7, status: 'draft', editable: true })
    api.correct.mockResolvedValue(created)
    const w = mountButton(batchOf())
    expect(exists('correction-open-latest')).toBe(false)
    await w.get('[data-testid="correction-open"]').trigger('click')
    await settle()
    const steps = byTest('correction-steps').text()
    expect(steps).toContain('创建本批次的新版本（版本 3）')
    expect(steps).toContain('当前版本（版本 2）原样保留')
    expect(steps).toContain('更正原因')
    expect(steps).toContain('重新提交审核')
    expect(exists('correction-reference')).toBe(false)

    await byTest('correction-confirm').trigger('click')
    await settle()
    expect(api.correct).toHaveBeenCalledWith(7, '')
    expect(w.emitted('created')?.[0]).toEqual([created])
  })

  it('requires the 整改通知文号 once the period is closed, and sends it trimmed', async () => {
    api.correct.mockResolvedValue(batchOf({ id: 8, version: 3, replaces: 7 }))
    const w = mountButton(batchOf({ periodStatus: 'closed', period: '2025-03', periodLabel: '2025年3月' }))
    await w.get('[data-testid="correction-open"]').trigger('click')
    await settle()
    expect(body().text()).toContain('2025年3月的数据已于次年 4 月 1 日关闭')
    expect(exists('correction-reference')).toBe(true)

    await byTest('correction-confirm').trigger('click')
    await settle()
    await new Promise((r) => setTimeout(r, 150)) // el-form-item shows its error debounced
    expect(api.correct).not.toHaveBeenCalled()
    expect(byTest('correction-dialog').text()).toContain('请填写整改通知文号。')

    await byTest('correction-reference').setValue('  某审计发〔2026〕12号 ')
    await byTest('correction-confirm').trigger('click')
    await settle()
    expect(api.correct).toHaveBeenCalledWith(7, '某审计发〔2026〕12号')
    expect(w.emitted('created')).toHaveLength(1)
  })

  it('shows a stale refusal in the dialog, keeps it open and tells the page', async () => {
    api.correct.mockRejectedValue(appErr('stale_edit', '版本 2 已有更正版本，请打开最新版本后再更正。'))
    const w = mountButton(batchOf())
    await w.get('[data-testid="correction-open"]').trigger('click')
    await settle()
    await byTest('correction-confirm').trigger('click')
    await settle()
    expect(byTest('correction-refusal').text()).toContain('版本 2 已有更正版本，请打开最新版本后再更正。')
    expect(w.emitted('refused')?.[0]).toEqual(['stale_edit'])
    expect(w.emitted('created')).toBeUndefined()
    expect(byTest('correction-dialog').isVisible()).toBe(true)
  })

  it('asks for the reference when the backend says the period closed meanwhile', async () => {
    api.correct.mockRejectedValueOnce(appErr('period_closed', '2025年3月的数据已于次年 4 月 1 日关闭，更正需要填写整改通知文号（如：某审计发〔2026〕12号）。'))
    const w = mountButton(batchOf())
    await w.get('[data-testid="correction-open"]').trigger('click')
    await settle()
    expect(exists('correction-reference')).toBe(false)
    await byTest('correction-confirm').trigger('click')
    await settle()
    expect(byTest('correction-refusal').text()).toContain('更正需要填写整改通知文号')
    expect(exists('correction-reference')).toBe(true)
  })

  it('an old version links to the newer one; a draft offers nothing', async () => {
    const w = mountButton(batchOf({ supersededBy: 12 }))
    expect(w.find('[data-testid="correction-open"]').exists()).toBe(false)
    await w.get('[data-testid="correction-open-latest"]').trigger('click')
    expect(w.get('[data-testid="correction-open-latest"]').text()).toBe('打开最新版本')
    expect(w.emitted('open')?.[0]).toEqual([12])

    const d = mountButton(batchOf({ status: 'draft', editable: true }))
    expect(d.find('[data-testid="correction-open"]').exists()).toBe(false)
    expect(d.find('[data-testid="correction-open-latest"]').exists()).toBe(false)
  })
})

// ---- 更正说明 panel --------------------------------------------------------

const fields = [
  { code: 'name', label: '姓名', type: 'text' },
  { code: 'id_number', label: '身份证号', type: 'idcard' },
  { code: 'project', label: '补助项目', type: 'enum', values: [{ code: '01', label: '低保' }, { code: '02', label: '特困' }] },
  { code: 'amount', label: '金额', type: 'money' },
] as Field[]

function changesOf(over: Partial<Changes> = {}): Changes {
  return {
    batchId: 8,
    version: 3,
    baseId: 7,
    baseVersion: 2,
    baseStatus: 'approved',
    missing: 2,
    rows: [
      {
        kind: 'changed',
        rowId: 81,
        origin: 71,
        seq: 1,
        reason: '',
        fields: [
          { field: 'id_number', label: '身份证号', before: '110101********1234', after: '110101********5678' },
          { field: 'amount', label: '金额', before: '300.00', after: '350.00' },
        ],
      },
      { kind: 'added', rowId: 84, origin: 0, seq: 4, reason: '漏报，补录', fields: [{ field: 'name', label: '姓名', before: '', after: '王五' }, { field: 'project', label: '补助项目', before: '', after: '02' }] },
      { kind: 'removed', rowId: 0, origin: 73, seq: 3, reason: '', fields: [{ field: 'name', label: '姓名', before: '李四', after: '' }] },
    ],
    ...over,
  } as Changes
}

const correction = (over: Partial<Batch> = {}) => batchOf({ id: 8, version: 3, replaces: 7, status: 'draft', editable: true, ...over })

async function mountPanel(b: Batch, extra: Record<string, unknown> = {}) {
  const w = mount(CorrectionPanel, { props: { batch: b, fields, ...extra }, attachTo: document.body, global })
  await settle()
  return w
}

const changeEls = (w: VueWrapper) => w.findAll('[data-testid="correction-change"]')

describe('CorrectionPanel', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    vi.clearAllMocks()
    api.correctionChanges.mockResolvedValue(changesOf())
    api.setCorrectionReason.mockResolvedValue(undefined)
  })

  it('lists each change with its kind, row and fields before → after, and counts the missing reasons', async () => {
    const w = await mountPanel(correction())
    expect(api.correctionChanges).toHaveBeenCalledWith(8)
    expect(w.get('[data-testid="correction-title"]').text()).toBe('更正说明')
    expect(w.get('[data-testid="correction-summary"]').text()).toBe('共 3 处更改：新增 1，修改 1，删除 1')
    const items = changeEls(w)
    expect(items.map((i) => i.get('[data-testid="correction-kind"]').text())).toEqual(['修改', '新增', '删除'])
    expect(items.map((i) => i.get('[data-testid="correction-row"]').text())).toEqual(['第 1 行', '第 4 行', '原第 3 行'])
    // masked values as the backend gave them; enum codes as their labels
    expect(items[0].text()).toContain('身份证号：110101********1234→110101********5678')
    expect(items[0].text()).toContain('金额：300.00→350.00')
    expect(items[1].text()).toContain('补助项目：特困')
    expect(items[2].get('del').text()).toBe('李四')
    expect(w.get('[data-testid="correction-missing"]').text()).toContain('还有 2 处更改没有填写更正原因')
    expect(w.emitted('missing')?.at(-1)).toEqual([2])
    // a given reason is in its box
    expect((items[1].get('input').element as HTMLInputElement).value).toBe('漏报，补录')
  })

  it('saves a reason on blur, says so, and counts one missing less; a deletion is saved by its origin', async () => {
    const w = await mountPanel(correction())
    const first = changeEls(w)[0]
    await first.get('input').setValue('  身份证号录入错误 ')
    await first.get('input').trigger('blur')
    await settle()
    expect(api.setCorrectionReason).toHaveBeenCalledWith(8, { rowId: 81, origin: 0, text: '身份证号录入错误' })
    expect(first.get('[data-testid="correction-reason-state"]').text()).toBe('已保存')
    expect(w.get('[data-testid="correction-missing"]').text()).toContain('还有 1 处')
    expect(w.emitted('missing')?.at(-1)).toEqual([1])

    // blurring again without a change saves nothing
    await first.get('input').trigger('blur')
    await settle()
    expect(api.setCorrectionReason).toHaveBeenCalledTimes(1)

    const removed = changeEls(w)[2]
    await removed.get('input').setValue('重复录入')
    await removed.get('input').trigger('keydown', { key: 'Enter' })
    await settle()
    expect(api.setCorrectionReason).toHaveBeenLastCalledWith(8, { rowId: 0, origin: 73, text: '重复录入' })
    expect(w.get('[data-testid="correction-all-given"]').text()).toBe('每一处更改都已填写更正原因。')
    expect(w.emitted('missing')?.at(-1)).toEqual([0])
  })

  it('Enter saves and moves to the next reason; a failed save keeps the text and offers retry', async () => {
    api.setCorrectionReason.mockRejectedValueOnce(appErr('internal', '无法保存更正原因。'))
    const w = await mountPanel(correction())
    const [first, second] = changeEls(w)
    await first.get('input').setValue('金额按标准调整')
    await first.get('input').trigger('keydown', { key: 'Enter' })
    await settle()
    expect(document.activeElement).toBe(second.get('input').element)
    expect(first.get('[data-testid="correction-reason-state"]').text()).toContain('保存失败，填写的内容仍保留在框中：无法保存更正原因。')
    expect((first.get('input').element as HTMLInputElement).value).toBe('金额按标准调整')
    expect(w.emitted('missing')?.at(-1)).toEqual([2])

    // the page reloads after a grid save: the unsaved reason stays in its box
    await (w.vm as unknown as { reload: () => Promise<void> }).reload()
    await settle()
    expect((changeEls(w)[0].get('input').element as HTMLInputElement).value).toBe('金额按标准调整')

    await changeEls(w)[0].get('[data-testid="correction-reason-retry"]').trigger('click')
    await settle()
    expect(api.setCorrectionReason).toHaveBeenLastCalledWith(8, { rowId: 81, origin: 0, text: '金额按标准调整' })
    expect(changeEls(w)[0].get('[data-testid="correction-reason-state"]').text()).toBe('已保存')
  })

  it('flush() stores what is typed but not saved yet, for the page to call before submitting or leaving', async () => {
    const w = await mountPanel(correction())
    const vm = w.vm as unknown as { flush: () => Promise<boolean>; unsavedCount: number }
    await changeEls(w)[2].get('input').setValue('重复录入')
    expect(changeEls(w)[2].get('[data-testid="correction-reason-state"]').text()).toContain('尚未保存')
    expect(vm.unsavedCount).toBe(1)
    expect(await vm.flush()).toBe(true)
    await settle()
    expect(api.setCorrectionReason).toHaveBeenCalledWith(8, { rowId: 0, origin: 73, text: '重复录入' })
    expect(vm.unsavedCount).toBe(0)

    api.setCorrectionReason.mockRejectedValueOnce(appErr('internal', '无法保存更正原因。'))
    await changeEls(w)[0].get('input').setValue('金额更正')
    expect(await vm.flush()).toBe(false)
    await settle()
    expect((changeEls(w)[0].get('input').element as HTMLInputElement).value).toBe('金额更正')
    expect(vm.unsavedCount).toBe(1)
  })

  it('flush() waits for a save already under way (the blur of clicking 提交审核) and stores what was typed after it', async () => {
    let release: () => void = () => {}
    api.setCorrectionReason.mockImplementationOnce(() => new Promise<void>((r) => (release = r)))
    const w = await mountPanel(correction())
    const vm = w.vm as unknown as { flush: () => Promise<boolean>; unsavedCount: number }
    const input = changeEls(w)[0].get('input')
    await input.setValue('金额更正')
    await input.trigger('blur') // the save starts and waits
    const flushed = vm.flush()
    await input.setValue('金额更正，已核实')
    release()
    expect(await flushed).toBe(true)
    expect(api.setCorrectionReason).toHaveBeenCalledTimes(2)
    expect(api.setCorrectionReason).toHaveBeenLastCalledWith(8, { rowId: 81, origin: 0, text: '金额更正，已核实' })
    await settle()
    expect(vm.unsavedCount).toBe(0)
  })

  it('gives every change without a reason the same one in one go', async () => {
    const w = await mountPanel(correction())
    await w.get('[data-testid="correction-bulk-input"]').setValue('按 2026 年标准调整')
    await w.get('[data-testid="correction-bulk-apply"]').trigger('click')
    await settle()
    expect(api.setCorrectionReason).toHaveBeenCalledTimes(2)
    expect(api.setCorrectionReason).toHaveBeenCalledWith(8, { rowId: 81, origin: 0, text: '按 2026 年标准调整' })
    expect(api.setCorrectionReason).toHaveBeenCalledWith(8, { rowId: 0, origin: 73, text: '按 2026 年标准调整' })
    expect(w.emitted('missing')?.at(-1)).toEqual([0])
  })

  it('shows the same list read-only as the diff of a submitted correction', async () => {
    api.correctionChanges.mockResolvedValue(
      changesOf({ missing: 0, rows: changesOf().rows.map((r) => ({ ...r, reason: r.reason || '已核实' })) as Changes['rows'] }),
    )
    const w = await mountPanel(correction({ status: 'submitted', editable: false }))
    expect(w.get('[data-testid="correction-title"]').text()).toBe('与版本 2 相比的更改')
    expect(w.find('input').exists()).toBe(false)
    expect(w.find('[data-testid="correction-missing"]').exists()).toBe(false)
    expect(w.findAll('[data-testid="correction-reason-text"]').map((r) => r.text())).toEqual([
      '更正原因：已核实',
      '更正原因：漏报，补录',
      '更正原因：已核实',
    ])
    expect(api.setCorrectionReason).not.toHaveBeenCalled()
  })

  it('an unchanged correction says so and how to start; the history button appears when the page listens', async () => {
    api.correctionChanges.mockResolvedValue(changesOf({ rows: [], missing: 0 }))
    const w = await mountPanel(correction({ rectification: '某审计发〔2026〕12号' }))
    expect(w.get('[data-testid="correction-empty"]').text()).toContain('与版本 2 相同，尚无更正。')
    expect(w.get('[data-testid="correction-empty"]').text()).toContain('请在表格中修改、新增或删除行')
    expect(w.get('[data-testid="correction-rectification"]').text()).toBe('整改通知文号：某审计发〔2026〕12号')
    expect(w.emitted('missing')?.at(-1)).toEqual([0])

    api.correctionChanges.mockResolvedValue(changesOf())
    const onHistory = vi.fn()
    const h = await mountPanel(correction(), { onHistory })
    const buttons = h.findAll('[data-testid="correction-history"]')
    expect(buttons).toHaveLength(3)
    await buttons[0].trigger('click')
    await buttons[2].trigger('click')
    expect(onHistory.mock.calls).toEqual([[{ batchId: 8, rowId: 81 }], [{ batchId: 7, rowId: 73 }]])
    expect(h.find('[data-testid="correction-locate"]').exists()).toBe(false)
  })
})

// ---- 更正记录 dialog -------------------------------------------------------

const history: RowVersion[] = [
  { batchId: 7, version: 1, status: 'approved', rectification: '', rowId: 71, seq: 1, cells: { name: '张三', id_number: '110101********1234', project: '01', amount: '300.00' }, reason: '', changed: [], updatedAt: '2026-04-02T03:04:05.000000Z' },
  { batchId: 8, version: 2, status: 'submitted', rectification: '某审计发〔2026〕12号', rowId: 81, seq: 1, cells: { name: '张三', id_number: '110101********5678', project: '01', amount: '350.00' }, reason: '身份证号录入错误', changed: ['id_number', 'amount'], updatedAt: '2026-05-06T01:00:00.000000Z' },
  { batchId: 9, version: 3, status: 'draft', rectification: '', rowId: 0, seq: 0, cells: {}, reason: '重复录入', changed: [], updatedAt: '2026-05-07T01:00:00.000000Z' },
] as RowVersion[]

describe('RowHistoryDialog', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    vi.clearAllMocks()
    api.rowHistory.mockResolvedValue(history)
    api.exportRowHistory.mockResolvedValue({ path: '/d/导出/更正记录.xlsx', name: '更正记录.xlsx', dir: '/d/导出', size: 2048 })
  })

  async function mountHistory() {
    const w = mount(RowHistoryDialog, {
      props: { batchId: 8, rowId: 81, fields, visible: true, 'onUpdate:visible': (v: boolean) => w.setProps({ visible: v }) },
      attachTo: document.body,
      global,
    })
    await settle()
    return w
  }

  it('shows every version side by side with the changed fields highlighted and the deletion marked', async () => {
    await mountHistory()
    expect(api.rowHistory).toHaveBeenCalledWith(8, 81)
    expect(body().get('.el-dialog__title').text()).toBe('更正记录 · 第 1 行')
    expect(body().findAll('[data-testid="history-version"]').map((h) => h.text())).toEqual(['版本 1', '版本 2 当前', '版本 3'])
    expect(body().findAll('[data-testid="history-status"]').map((s) => s.text())).toEqual(['已审核', '已提交', '草稿 删除'])
    expect(body().findAll('[data-testid="history-reason"]').map((s) => s.text())).toEqual(['', '身份证号录入错误', '重复录入'])
    expect(byTest('history-table').text()).toContain('某审计发〔2026〕12号')
    expect(byTest('history-table').text()).toContain('2026-04-02 11:04:05')

    const row = (code: string) => body().get(`tr[data-field="${code}"]`).findAll('[data-testid="history-cell"]')
    expect(row('id_number').map((c) => c.classes('changed'))).toEqual([false, true])
    expect(row('id_number')[1].text()).toBe('110101********5678（已更改）')
    expect(row('amount').map((c) => c.classes('changed'))).toEqual([false, true])
    expect(row('name').map((c) => c.classes('changed'))).toEqual([false, false])
    expect(row('project').map((c) => c.text())).toEqual(['低保', '低保'])
    expect(byTest('history-removed-cell').text()).toBe('此记录在本版本中被删除。')
    expect(byTest('history-removed-cell').attributes('rowspan')).toBe('4')

    await byTest('history-only-changed').get('input').setValue(true)
    expect(body().findAll('tr.field-row').map((r) => r.attributes('data-field'))).toEqual(['id_number', 'amount'])
  })

  it('exports the history and shows the saved file', async () => {
    const w = await mountHistory()
    await byTest('history-export').trigger('click')
    await settle()
    expect(api.exportRowHistory).toHaveBeenCalledWith(8, 81)
    expect(byTest('saved-file-name').text()).toBe('已保存：更正记录.xlsx（2.0 KB）')
    expect(w.emitted('saved')?.[0]?.[0]).toMatchObject({ name: '更正记录.xlsx' })
  })

  it('shows a refusal to load and a refusal to export', async () => {
    api.rowHistory.mockRejectedValueOnce(appErr('stale_edit', '要修改的行已不存在（可能已被删除），本次修改未保存，请重新打开批次。'))
    await mountHistory()
    expect(byTest('history-error').text()).toContain('要修改的行已不存在')
    await byTest('history-error').get('button').trigger('click')
    await settle()
    expect(exists('history-table')).toBe(true)

    api.exportRowHistory.mockRejectedValueOnce(appErr('forbidden', '当前用户的角色无权执行此操作。'))
    await byTest('history-export').trigger('click')
    await settle()
    expect(byTest('history-export-error').text()).toContain('当前用户的角色无权执行此操作。')
  })
})

describe('correction helpers', () => {
  it('corrects only what left the clerk and is the newest version', () => {
    for (const s of ['approved', 'queued', 'accepted', 'rejected']) expect(canCorrect({ status: s, supersededBy: 0 })).toBe(true)
    for (const s of ['draft', 'submitted', 'returned']) expect(canCorrect({ status: s, supersededBy: 0 })).toBe(false)
    expect(canCorrect({ status: 'approved', supersededBy: 9 })).toBe(false)
  })

  it('keys and targets a change by its row, a deletion by its origin', () => {
    expect(changeKey({ kind: 'changed', rowId: 5, origin: 3 })).toBe('r5')
    expect(changeKey({ kind: 'removed', rowId: 0, origin: 3 })).toBe('o3')
    expect(reasonTarget({ kind: 'added', rowId: 5, origin: 0 }, 'x')).toEqual({ rowId: 5, origin: 0, text: 'x' })
    expect(reasonTarget({ kind: 'removed', rowId: 0, origin: 3 }, 'x')).toEqual({ rowId: 0, origin: 3, text: 'x' })
  })

  it('reads enum codes as labels and attachment cells as a count', () => {
    const labels = { attachments: (n: number) => `附件 ${n} 个` }
    expect(cellText(fields[2], '02', labels)).toBe('特困')
    expect(cellText(fields[2], '99', labels)).toBe('99')
    expect(cellText({ type: 'attachment' }, 'a'.repeat(64) + ';' + 'b'.repeat(64), labels)).toBe('附件 2 个')
    expect(cellText(fields[1], '110101********1234', labels)).toBe('110101********1234')
    expect(cellText(undefined, 'x', labels)).toBe('x')
  })
})
