// The 同步 page over a mocked backend: the outbox with its state labels
// and live progress, 立即重试 and its refusal, the 回执 dialog with the
// signature check, 立即同步, the link state and a problem, and the way to
// a rejected batch for a clerk (not for a reviewer).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DOMWrapper, enableAutoUnmount, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '../../src/i18n'
import type { SessionView, SyncItem, SyncState } from '../../src/api/backend'
import { appErr, body, byTest, settleFor } from './testkit'

const events = vi.hoisted(() => ({ cb: null as null | ((s: unknown) => void) }))
const api = vi.hoisted(() => ({
  syncState: vi.fn(),
  syncItems: vi.fn(),
  syncRetry: vi.fn(),
  syncNow: vi.fn(),
  syncCheckReceipt: vi.fn(),
  datasets: vi.fn(),
  onSyncStatus: vi.fn((cb: (s: unknown) => void) => {
    events.cb = cb
    return () => (events.cb = null)
  }),
}))
vi.mock('../../src/api/backend', () => ({ api }))

import SyncView from '../../src/views/SyncView.vue'
import { useSessionStore } from '../../src/stores/session'

enableAutoUnmount(afterEach)

const settle = (n = 6) => settleFor(n, 5)

const receiptOf = (status: 'accepted' | 'rejected', rows: { row: number; field: string; message: string }[] = []) => ({
  batchUid: '410102-msj_roster-2026-11',
  version: 1,
  contentSha256: 'a3f1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
  receivedAt: '2026-11-23T02:00:05Z',
  status,
  rejectedRows: rows,
})

const item = (p: Partial<SyncItem>): SyncItem =>
  ({
    id: 1,
    batchId: 7,
    batchUid: '410102-msj_roster-2026-11',
    dataset: 'msj_roster',
    datasetName: '个人补助资金发放表',
    period: '2026-11',
    periodLabel: '2026年11月',
    version: 1,
    rows: 2,
    state: 'queued',
    attempts: 0,
    queuedAt: '2026-11-23T01:59:00Z',
    nextAttemptAt: '0001-01-01T00:00:00Z',
    sentBytes: 0,
    totalBytes: 0,
    errorCode: '',
    error: '',
    doneAt: '0001-01-01T00:00:00Z',
    ...p,
  }) as SyncItem

const rejectedMsg = '该身份证号在民政部门死亡人员名单中（模拟平台比对），请核实后删除或更正'
const items = [
  item({ id: 1, state: 'accepted', attempts: 1, receipt: receiptOf('accepted') as never, doneAt: '2026-11-23T02:00:06Z' }),
  item({ id: 2, batchId: 8, dataset: 'msj_project', datasetName: '项目主表', rows: 1, state: 'rejected', attempts: 1, receipt: receiptOf('rejected', [{ row: 1, field: 'id_number', message: rejectedMsg }]) as never }),
  item({ id: 3, batchId: 9, state: 'failed', attempts: 1, errorCode: 'version_conflict', error: '平台已有该批次的更高版本，不能再报送版本 1。' }),
  item({ id: 4, batchId: 10, state: 'queued', attempts: 2, error: '无法连接省级平台。', nextAttemptAt: '2026-11-23T02:10:00Z' }),
  item({ id: 5, batchId: 11, state: 'queued', attempts: 0 }),
]

const state = (p: Partial<SyncState['status']> = {}, extra: Partial<SyncState> = {}): SyncState =>
  ({
    status: { link: 'online', message: '', lastContact: '2026-11-23T02:00:06Z', counts: { queued: 2, accepted: 1, rejected: 1, failed: 1 }, ...p },
    platform: 'http://127.0.0.1:40123/api/v1',
    demo: true,
    ...extra,
  }) as SyncState

function session(roles: string[], pages: string[]): SessionView {
  return { user: { id: '1', name: '张敏', orgUnit: '演示县民政局', roles }, pages, locked: false } as unknown as SessionView
}

async function mountPage(roles = ['clerk'], pages = ['workbench', 'entry', 'sync']) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().set(session(roles, pages))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/sync', name: 'sync', component: SyncView },
      { path: '/entry/batch/:id', name: 'batch', component: { template: '<div data-testid="batch-stub">batch</div>' } },
    ],
  })
  await router.push('/sync')
  await router.isReady()
  const w = mount({ template: '<router-view />' }, { attachTo: document.body, global: { plugins: [router, pinia, i18n, ElementPlus] } })
  await settle()
  return { w, router }
}

// The rows of the table, as [data-item] ids in the order shown.
const shownIds = () => body().findAll('[data-testid="sync-table"] [data-item]').map((e) => Number(e.attributes('data-item')))
const rowOf = (id: number) => body().get(`[data-testid="sync-table"] [data-item="${id}"]`).element.closest('tr') as HTMLElement
const inRow = (id: number, testid: string) => new DOMWrapper(rowOf(id)).find(`[data-testid="${testid}"]`)

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  vi.clearAllMocks()
  events.cb = null
  api.syncState.mockResolvedValue(state())
  api.syncItems.mockResolvedValue(items.slice().reverse()) // whatever order: the page shows newest first
  api.datasets.mockResolvedValue([{ code: 'msj_project', name: '项目主表', fields: [{ code: 'id_number', label: '身份证号' }] }])
})

describe('同步 page', () => {
  it('lists the outbox newest first with the state labels, errors, next retry and the right buttons', async () => {
    await mountPage()
    expect(shownIds()).toEqual([5, 4, 3, 2, 1])
    const label = (id: number) => inRow(id, 'sync-state').text()
    expect([5, 4, 3, 2, 1].map(label)).toEqual(['排队中', '排队中', '发送失败', '已拒收', '已接收'])
    expect(inRow(1, 'sync-state').classes()).toContain('el-tag--success')
    expect(inRow(3, 'sync-state').classes()).toContain('el-tag--danger')
    expect(rowOf(3).textContent).toContain('平台已有该批次的更高版本')
    // A rejected item: how many rows, and when it was done; an accepted one too.
    expect(inRow(2, 'sync-refused').text()).toBe('平台拒收 1 行，详见回执')
    expect(inRow(1, 'sync-done').text()).toBe('2026-11-23 10:00:06')
    expect(inRow(5, 'sync-done').exists()).toBe(false)
    // 下次重试 only for a queued item that has been tried.
    expect(inRow(4, 'sync-next').text()).toBe('2026-11-23 10:10:00')
    expect(inRow(5, 'sync-next').exists()).toBe(false)
    // 立即重试 on queued and failed; 回执 where there is one; 打开批次 on the rejected one.
    expect([5, 4, 3, 2, 1].map((id) => inRow(id, 'sync-retry').exists())).toEqual([true, true, true, false, false])
    expect([5, 4, 3, 2, 1].map((id) => inRow(id, 'sync-receipt').exists())).toEqual([false, false, false, true, true])
    expect([5, 4, 3, 2, 1].map((id) => inRow(id, 'sync-open-batch').exists())).toEqual([false, false, false, true, false])
    // The link, the demo platform and the counts.
    expect(byTest('sync-link').text()).toContain('在线')
    expect(byTest('sync-platform').text()).toContain('演示平台')
    expect(byTest('sync-platform').text()).toContain('http://127.0.0.1:40123/api/v1')
    expect(byTest('sync-count-queued').text()).toBe('2待报送')
    expect(byTest('sync-count-rejected').text()).toBe('1已拒收')
    expect(byTest('sync-last-contact').text()).toBe('最近联系：2026-11-23 10:00:06')
  })

  it('shows the push under way with a progress bar that follows sync:status live, and reads the list again when the counts change', async () => {
    api.syncItems.mockResolvedValue([item({ id: 9, state: 'queued', totalBytes: 0 })])
    await mountPage()
    expect(inRow(9, 'sync-state').text()).toBe('排队中')
    expect(api.syncItems).toHaveBeenCalledTimes(1)

    events.cb!(state({ current: { itemId: 9, batchUid: 'u', version: 1, sent: 2048, total: 8192 } as never }))
    await settle(2)
    expect(inRow(9, 'sync-state').text()).toBe('正在发送')
    const bar = inRow(9, 'sync-progress')
    expect(bar.text()).toContain('2.0 KB / 8.0 KB')
    expect(bar.get('.el-progress').attributes('aria-valuenow')).toBe('25')

    // A push starting reads the list again (after a short wait); a
    // progress tick alone does not …
    await new Promise((r) => setTimeout(r, 400))
    await settle(2)
    expect(api.syncItems).toHaveBeenCalledTimes(2)
    const reads = api.syncItems.mock.calls.length
    events.cb!(state({ current: { itemId: 9, batchUid: 'u', version: 1, sent: 6144, total: 8192 } as never }))
    await new Promise((r) => setTimeout(r, 400))
    await settle(2)
    expect(inRow(9, 'sync-progress').get('.el-progress').attributes('aria-valuenow')).toBe('75')
    expect(api.syncItems).toHaveBeenCalledTimes(reads)

    // … the push ending (counts move) does, once, after a short wait.
    api.syncItems.mockResolvedValue([item({ id: 9, state: 'accepted', attempts: 1, receipt: receiptOf('accepted') as never })])
    events.cb!(state({ counts: { queued: 1, accepted: 2, rejected: 1, failed: 1 } }))
    events.cb!(state({ counts: { queued: 1, accepted: 2, rejected: 1, failed: 1 }, lastContact: '2026-11-23T02:01:00Z' }))
    await new Promise((r) => setTimeout(r, 400))
    await settle(2)
    expect(api.syncItems).toHaveBeenCalledTimes(reads + 1)
    expect(inRow(9, 'sync-state').text()).toBe('已接收')
    expect(inRow(9, 'sync-progress').exists()).toBe(false)
  })

  it('立即重试 calls Retry for that item and reads the list again', async () => {
    api.syncRetry.mockResolvedValue(item({ id: 3, batchId: 9, state: 'queued', attempts: 1 }))
    await mountPage()
    api.syncItems.mockResolvedValue([item({ id: 3, batchId: 9, state: 'sending', attempts: 2 })])
    const before = api.syncItems.mock.calls.length
    await inRow(3, 'sync-retry').trigger('click')
    await settle()
    expect(api.syncRetry).toHaveBeenCalledWith(3)
    expect(api.syncItems.mock.calls.length).toBe(before + 1)
    expect(inRow(3, 'sync-state').text()).toBe('正在发送')
    expect(body().find('[data-testid="sync-action-error"]').exists()).toBe(false)
  })

  it("shows the backend's refusal of a retry", async () => {
    api.syncRetry.mockRejectedValue(appErr('bad_input', '该批次已被平台接收，不需要重试。'))
    await mountPage()
    await inRow(4, 'sync-retry').trigger('click')
    await settle()
    expect(api.syncRetry).toHaveBeenCalledWith(4)
    expect(byTest('sync-action-error').text()).toContain('该批次已被平台接收，不需要重试。')
    expect(inRow(4, 'sync-retry').attributes('disabled')).toBeUndefined()
  })

  it('回执 shows the receipt and a verified signature with the key prefix', async () => {
    const key = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0'
    api.syncCheckReceipt.mockResolvedValue({ receipt: receiptOf('accepted'), verified: true, message: '', keySha256: key })
    await mountPage()
    await inRow(1, 'sync-receipt').trigger('click')
    await settle()
    expect(api.syncCheckReceipt).toHaveBeenCalledWith(1)
    const dlg = byTest('receipt-dialog')
    expect(dlg.isVisible()).toBe(true)
    expect(dlg.get('[data-testid="receipt-uid"]').text()).toBe('410102-msj_roster-2026-11')
    expect(dlg.get('[data-testid="receipt-sha"]').text()).toBe(receiptOf('accepted').contentSha256)
    expect(dlg.get('[data-testid="receipt-facts"]').text()).toContain('2026-11-23 10:00:05')
    expect(dlg.get('[data-testid="receipt-status"]').text()).toBe('已接收')
    const check = dlg.get('[data-testid="receipt-check"]')
    expect(check.attributes('data-verified')).toBe('true')
    expect(check.text()).toBe('回执签名已核验（平台公钥 SHA-256 0f1e2d3c4b5a6978…）')
    expect(check.find('.good').exists()).toBe(true)
    expect(dlg.find('[data-testid="receipt-rejected"]').exists()).toBe(false)

    // Esc closes it.
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true }))
    await settle()
    expect(byTest('receipt-dialog').isVisible()).toBe(false)
  })

  it('回执 of a rejected batch lists the rows with labels, and a failed signature check in red', async () => {
    api.syncCheckReceipt.mockResolvedValue({ receipt: receiptOf('rejected', [{ row: 1, field: 'id_number', message: rejectedMsg }]), verified: false, message: '回执签名与平台公钥不符。', keySha256: '' })
    await mountPage()
    await inRow(2, 'sync-receipt').trigger('click')
    await settle()
    const dlg = byTest('receipt-dialog')
    const check = dlg.get('[data-testid="receipt-check"]')
    expect(check.attributes('data-verified')).toBe('false')
    expect(check.text()).toBe('回执签名未通过核验：回执签名与平台公钥不符。')
    expect(check.find('.bad').exists()).toBe(true)
    expect(dlg.get('[data-testid="receipt-status"]').text()).toBe('已拒收')
    const rows = dlg.get('[data-testid="receipt-rejected"]')
    expect(rows.text()).toContain('平台拒收的行（1 行）')
    expect(rows.text()).toContain('第 1 行 · 身份证号')
    expect(rows.text()).toContain(rejectedMsg)
  })

  it('打开批次 takes the clerk to the rejected batch', async () => {
    const { router } = await mountPage()
    await inRow(2, 'sync-open-batch').trigger('click')
    await settle()
    expect(router.currentRoute.value.name).toBe('batch')
    expect(router.currentRoute.value.params.id).toBe('8')
  })

  it('does not offer 打开批次 to a reviewer, who has no entry page', async () => {
    await mountPage(['reviewer'], ['workbench', 'review', 'sync'])
    expect(inRow(2, 'sync-state').text()).toBe('已拒收')
    expect(body().find('[data-testid="sync-open-batch"]').exists()).toBe(false)
  })

  it('立即同步 wakes the worker and reads the state and list again', async () => {
    api.syncNow.mockResolvedValue(undefined)
    await mountPage()
    const states = api.syncState.mock.calls.length
    const reads = api.syncItems.mock.calls.length
    await byTest('sync-now').trigger('click')
    await settle()
    expect(api.syncNow).toHaveBeenCalledTimes(1)
    expect(api.syncState.mock.calls.length).toBe(states + 1)
    expect(api.syncItems.mock.calls.length).toBe(reads + 1)
  })

  it('says offline with the reason, and shows a problem prominently', async () => {
    api.syncState.mockResolvedValue(state({ link: 'offline', message: '无法连接省级平台（网络中断）。' }))
    await mountPage()
    expect(byTest('sync-link').attributes('data-link')).toBe('offline')
    expect(byTest('sync-link').text()).toContain('离线（正在重试）')
    expect(byTest('sync-message').text()).toBe('无法连接省级平台（网络中断）。')
    expect(body().find('[data-testid="sync-problem"]').exists()).toBe(false)

    events.cb!(state({ link: 'auth', message: '平台拒绝登录：证书已吊销。' }))
    await settle(2)
    expect(byTest('sync-link').text()).toContain('平台拒绝登录')
    expect(byTest('sync-message').text()).toBe('平台拒绝登录：证书已吊销。')

    events.cb!(state({ link: 'offline', message: '' }, { problem: '没有配置省级平台地址（config.json 的 platform.url）。', platform: '' }))
    await settle(2)
    expect(byTest('sync-problem').text()).toContain('没有配置省级平台地址')
    expect(byTest('sync-link').text()).toContain('无法报送')
    expect(byTest('sync-now').attributes('disabled')).toBeDefined()
  })

  it('says when it waits for a USB key login', async () => {
    api.syncState.mockResolvedValue(state({ link: 'login', lastContact: '0001-01-01T00:00:00Z' }, { demo: false, platform: 'https://sjpt.example.gov.cn/api/v1' }))
    await mountPage()
    expect(byTest('sync-link').text()).toContain('等待登录 UKey')
    expect(byTest('sync-last-contact').text()).toBe('尚未联系平台')
    expect(body().find('[data-testid="sync-demo"]').exists()).toBe(false)
    expect(byTest('sync-platform').text()).toContain('https://sjpt.example.gov.cn/api/v1')
  })
})
