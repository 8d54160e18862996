import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '../../src/i18n'
import { actionKey, changeSummary, prettyJSON, shortFingerprint, knownActions } from '../../src/audit/entries'
import zhCN from '../../src/i18n/zh-CN'
import en from '../../src/i18n/en'

const api = vi.hoisted(() => ({
  auditList: vi.fn(),
  auditVerify: vi.fn(),
  auditExport: vi.fn(),
  auditUsers: vi.fn(),
  saveAs: vi.fn(),
  showInFolder: vi.fn(),
}))
vi.mock('../../src/api/backend', () => ({ api }))

import AuditView from '../../src/views/AuditView.vue'
import { body, settleFor } from './testkit'

enableAutoUnmount(afterEach)
const fp = 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef569f0e'

const entries = [
  {
    id: 12,
    at: '2026-03-01T08:00:07Z',
    userId: 3,
    userName: '张敏',
    certFingerprint: fp,
    action: 'batch.save',
    object: 'batch:7',
    before: '{"cells":[{"field":"amount","row":5,"value":"100"}],"revision":3}',
    after: '{"cells":[{"field":"amount","row":5,"value":"120"}],"revision":4}',
  },
  { id: 11, at: '2026-03-01T07:59:00Z', userId: 0, userName: '', certFingerprint: '', action: 'refused', object: 'Audit.List', before: '', after: '{"code":"not_logged_in"}' },
  { id: 10, at: '2026-03-01T07:58:00Z', userId: 3, userName: '张敏', certFingerprint: fp, action: 'batch.future', object: 'batch:7', before: '', after: '' },
]
const saved = { path: '/d/导出/审计日志-20260301-160000.xlsx', name: '审计日志-20260301-160000.xlsx', dir: '/d/导出', size: 20480 }

const settle = () => settleFor(6, 5)

async function mountView() {
  const w = mount(AuditView, { attachTo: document.body, global: { plugins: [i18n, ElementPlus] } })
  await settle()
  return w
}

const lastFilter = () => api.auditList.mock.calls[api.auditList.mock.calls.length - 1][0]

describe('AuditView', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    vi.clearAllMocks()
    api.auditUsers.mockResolvedValue([{ id: 3, name: '张敏', orgUnit: '某县民政局', disabled: false }])
    api.auditList.mockResolvedValue({ items: entries, total: 123, page: 1, pageSize: 50 })
    api.auditExport.mockResolvedValue(saved)
  })

  it('lists the newest page with user, short certificate, Chinese action and object', async () => {
    const w = await mountView()
    expect(api.auditList).toHaveBeenCalledTimes(1)
    expect(lastFilter()).toEqual({ userId: 0, action: '', object: '', from: '', to: '', page: 1 })
    const rows = w.findAll('[data-testid="audit-table"] tbody tr')
    expect(rows).toHaveLength(3)
    const first = rows[0].text()
    expect(first).toContain('2026-03-01 16:00:07') // Beijing time
    expect(first).toContain('张敏')
    expect(first).toContain('ab12cd34…9f0e')
    expect(first).toContain('保存数据')
    expect(first).toContain('batch:7')
    expect(rows[1].text()).toContain('未识别')
    expect(rows[1].text()).toContain('操作被拒绝')
    expect(rows[2].text()).toContain('batch.future') // an action without a label shows its code
    expect(w.get('[data-testid="audit-total"]').text()).toBe('共 123 条')
  })

  it('before and after are collapsed until the keyboard-reachable button opens them', async () => {
    const w = await mountView()
    const toggle = w.findAll('[data-testid="audit-toggle"]')
    expect(toggle).toHaveLength(2) // the entry with neither has no button
    expect(toggle[0].element.tagName).toBe('BUTTON')
    expect(toggle[0].attributes('aria-expanded')).toBe('false')
    expect(w.find('[data-testid="audit-details"]').exists()).toBe(false)
    await toggle[0].trigger('click')
    await settle()
    const details = w.get('[data-testid="audit-details"]')
    expect(details.text()).toContain('变更前')
    expect(details.text()).toContain('"value": "120"')
    expect(w.findAll('[data-testid="audit-toggle"]')[0].attributes('aria-expanded')).toBe('true')
    await w.findAll('[data-testid="audit-toggle"]')[0].trigger('click')
    await settle()
    expect(w.find('[data-testid="audit-details"]').exists()).toBe(false)
  })

  it('searches with the filter (Enter in the object field), pages with it, and resets', async () => {
    const w = await mountView()
    const object = w.get('[data-testid="audit-filter-object"]')
    await object.setValue(' batch:7 ')
    await object.trigger('keyup', { key: 'Enter' })
    await settle()
    expect(lastFilter()).toEqual({ userId: 0, action: '', object: 'batch:7', from: '', to: '', page: 1 })

    api.auditList.mockResolvedValue({ items: entries.slice(0, 1), total: 123, page: 2, pageSize: 50 })
    await w.get('[data-testid="audit-pager"] .btn-next').trigger('click')
    await settle()
    expect(lastFilter()).toEqual({ userId: 0, action: '', object: 'batch:7', from: '', to: '', page: 2 })

    await w.get('[data-testid="audit-reset"]').trigger('click')
    await settle()
    expect(lastFilter()).toEqual({ userId: 0, action: '', object: '', from: '', to: '', page: 1 })
    expect((w.get('[data-testid="audit-filter-object"]').element as HTMLInputElement).value).toBe('')
  })

  it('filters by a user picked from the list, or by nobody identified', async () => {
    const w = await mountView()
    await w.get('[data-testid="audit-filter-user"]').trigger('click')
    await settle()
    const option = body()
      .findAll('.el-select-dropdown__item')
      .find((o) => o.text() === '张敏（某县民政局）')
    expect(option).toBeTruthy()
    await option!.trigger('click')
    await settle()
    await w.get('[data-testid="audit-filters"]').trigger('submit')
    await settle()
    expect(lastFilter()).toMatchObject({ userId: 3, page: 1 })
    expect(body().findAll('.el-select-dropdown__item').map((o) => o.text())).toContain('未识别（未登录或登录被拒绝）')
  })

  it('verify shows 完整 with the counts, or the first broken entry and why', async () => {
    api.auditVerify.mockResolvedValueOnce({ ok: true, entries: 123, heads: 4, reason: '审计日志完整', signatures_checked: true })
    const w = await mountView()
    await w.get('[data-testid="audit-verify"]').trigger('click')
    await settle()
    expect(w.get('[data-testid="audit-report-title"]').text()).toBe('完整')
    expect(w.get('[data-testid="audit-report-detail"]').text()).toContain('共 123 条记录，4 个签名链头')
    expect(w.get('[data-testid="audit-report-detail"]').text()).toContain('签名已逐一核对')

    api.auditVerify.mockResolvedValueOnce({
      ok: false,
      entries: 123,
      heads: 4,
      first_broken: 57,
      reason: '第 57 条的内容与其哈希不符：该条被改动、被插入或与其他条目调换了位置。',
      signatures_checked: true,
    })
    await w.get('[data-testid="audit-verify"]').trigger('click')
    await settle()
    expect(w.get('[data-testid="audit-report-title"]').text()).toBe('日志已被改动')
    expect(w.get('[data-testid="audit-report-detail"]').text()).toContain('自第 57 条起的记录不可信')
    expect(w.get('[data-testid="audit-report-reason"]').text()).toContain('第 57 条的内容与其哈希不符')
  })

  it('exports what the table shows and shows the saved file', async () => {
    const w = await mountView()
    await w.get('[data-testid="audit-filter-object"]').setValue('user:5')
    await w.get('[data-testid="audit-filters"]').trigger('submit')
    await settle()
    // Typed after the search but not searched: the export follows the table.
    await w.get('[data-testid="audit-filter-object"]').setValue('batch:9')
    await w.get('[data-testid="audit-export"]').trigger('click')
    await settle()
    expect(api.auditExport).toHaveBeenCalledWith({ userId: 0, action: '', object: 'user:5', from: '', to: '', page: 1 })
    expect(w.get('[data-testid="saved-file-name"]').text()).toBe('已保存：审计日志-20260301-160000.xlsx（20.0 KB）')
  })

  it('shows a refusal from the backend', async () => {
    api.auditList.mockRejectedValue(new Error(JSON.stringify({ code: 'forbidden', message: '当前用户的角色无权执行此操作。' })))
    const w = await mountView()
    expect(w.get('[data-testid="audit-error"]').text()).toContain('当前用户的角色无权执行此操作。')
  })

  it('speaks English', async () => {
    i18n.global.locale.value = 'en'
    const w = await mountView()
    expect(w.text()).toContain('Audit log')
    expect(w.findAll('[data-testid="audit-table"] tbody tr')[0].text()).toContain('Data saved')
    expect(body().text()).toContain('Verify log')
  })
})

describe('audit entries', () => {
  it('every action the backend records has a label in both locales', () => {
    const label = (m: typeof zhCN | typeof en, a: string) =>
      actionKey(a)
        .split('.')
        .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], m)
    for (const a of knownActions) {
      expect(label(zhCN, a), `zh-CN ${a}`).toBeTypeOf('string')
      expect(label(en, a), `en ${a}`).toBeTypeOf('string')
    }
  })

  it('formats fingerprints and changes for reading', () => {
    expect(shortFingerprint(fp)).toBe('ab12cd34…9f0e')
    expect(shortFingerprint('')).toBe('')
    expect(prettyJSON('{"a":1}')).toBe('{\n  "a": 1\n}')
    expect(prettyJSON('not json')).toBe('not json')
    expect(changeSummary('{"a":1}', '{"a":2}')).toBe('{"a":1} → {"a":2}')
    expect(changeSummary('', '{"b":2}')).toBe('{"b":2}')
    expect(changeSummary('x'.repeat(100), '', 10)).toBe('xxxxxxxxx…')
  })
})
