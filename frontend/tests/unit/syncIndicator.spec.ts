// The header's sync indicator in MainLayout over a mocked backend: its
// words and dot for each link state and a problem, the queued count and the
// percentage of a push under way (live from sync:status), a click and Enter
// to the 同步 page — and no State call at all for a session without the
// sync page (the backend would refuse it).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '../../src/i18n'
import type { SessionView, SyncState } from '../../src/api/backend'

const events = vi.hoisted(() => ({ cb: null as null | ((s: unknown) => void) }))
const api = vi.hoisted(() => ({
  currentSession: vi.fn(),
  touch: vi.fn(),
  lock: vi.fn(),
  logout: vi.fn(),
  syncState: vi.fn(),
  onSyncStatus: vi.fn((cb: (s: unknown) => void) => {
    events.cb = cb
    return () => (events.cb = null)
  }),
}))
vi.mock('../../src/api/backend', () => ({ api }))

import MainLayout from '../../src/layouts/MainLayout.vue'
import { useSessionStore } from '../../src/stores/session'
import { body, settleFor } from './testkit'

enableAutoUnmount(afterEach)
const indicator = () => body().get('[data-testid="sync-indicator"]')

const settle = (n = 5) => settleFor(n, 5)

const state = (p: Partial<SyncState['status']> = {}, extra: Partial<SyncState> = {}): SyncState =>
  ({
    status: { link: 'online', message: '', lastContact: '2026-11-23T02:00:06Z', counts: { queued: 3, accepted: 1, rejected: 0, failed: 0 }, ...p },
    platform: 'http://127.0.0.1:40123/api/v1',
    demo: true,
    ...extra,
  }) as SyncState

function session(roles: string[], pages: string[]): SessionView {
  return { user: { id: '1', name: '张敏', orgUnit: '演示县民政局', roles }, pages, locked: false } as unknown as SessionView
}

async function mountLayout(roles: string[], pages: string[]) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const view = session(roles, pages)
  useSessionStore().set(view)
  api.currentSession.mockResolvedValue(view)
  const page = { template: '<div data-testid="page">page</div>' }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      {
        path: '/',
        component: MainLayout,
        children: [
          { path: 'workbench', name: 'workbench', component: page },
          { path: 'sync', name: 'sync', component: { template: '<div data-testid="sync-stub">sync</div>' } },
          { path: 'audit', name: 'audit', component: page },
          { path: 'account', name: 'account', component: page },
        ],
      },
      { path: '/login', name: 'login', component: page },
    ],
  })
  await router.push('/workbench')
  await router.isReady()
  const w = mount({ template: '<router-view />' }, { attachTo: document.body, global: { plugins: [router, pinia, i18n, ElementPlus] } })
  await settle()
  return { w, router }
}

const clerk = () => mountLayout(['clerk'], ['workbench', 'entry', 'sync'])

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  vi.clearAllMocks()
  events.cb = null
  api.syncState.mockResolvedValue(state())
})

describe('header sync indicator', () => {
  it('online: green, 平台在线 and the number queued; a keyboard-reachable button', async () => {
    await clerk()
    expect(api.syncState).toHaveBeenCalledTimes(1)
    expect(api.onSyncStatus).toHaveBeenCalledTimes(1)
    const el = indicator()
    expect(el.element.tagName).toBe('BUTTON')
    expect(el.attributes('data-link')).toBe('online')
    expect(el.classes()).toContain('link-online')
    expect(el.get('[data-testid="sync-indicator-link"]').text()).toBe('平台在线')
    expect(el.get('[data-testid="sync-indicator-queued"]').text()).toBe('待报送 3')
    expect(el.find('[data-testid="sync-indicator-progress"]').exists()).toBe(false)
    expect(body().find('[data-testid="platform-state"]').exists()).toBe(false)
  })

  it('follows sync:status: offline with its reason, the push percentage, login and auth as 未连接平台', async () => {
    await clerk()
    events.cb!(state({ link: 'offline', message: '无法连接省级平台。' }))
    await settle(1)
    expect(indicator().attributes('data-link')).toBe('offline')
    expect(indicator().get('[data-testid="sync-indicator-link"]').text()).toBe('平台离线')
    expect(indicator().attributes('title')).toBe('无法连接省级平台。')

    events.cb!(state({ counts: { queued: 2, accepted: 1, rejected: 0, failed: 0 }, current: { itemId: 4, batchUid: 'u', version: 1, sent: 300, total: 1000 } as never }))
    await settle(1)
    expect(indicator().get('[data-testid="sync-indicator-link"]').text()).toBe('平台在线')
    expect(indicator().get('[data-testid="sync-indicator-queued"]').text()).toBe('待报送 2')
    expect(indicator().get('[data-testid="sync-indicator-progress"]').text()).toBe('30%')

    events.cb!(state({ link: 'login' }))
    await settle(1)
    expect(indicator().attributes('data-link')).toBe('login')
    expect(indicator().get('[data-testid="sync-indicator-link"]').text()).toBe('未连接平台')
    expect(indicator().find('[data-testid="sync-indicator-progress"]').exists()).toBe(false)

    events.cb!(state({ link: 'auth', message: '平台拒绝登录：证书已吊销。' }))
    await settle(1)
    expect(indicator().attributes('data-link')).toBe('auth')
    expect(indicator().classes()).toContain('link-auth')
    expect(indicator().get('[data-testid="sync-indicator-link"]').text()).toBe('未连接平台')
    expect(indicator().attributes('title')).toBe('平台拒绝登录：证书已吊销。')
    expect(indicator().attributes('aria-label')).toContain('平台拒绝登录：证书已吊销。')
  })

  it('a problem (no platform configured) reads 未连接平台 in red with the reason', async () => {
    api.syncState.mockResolvedValue(state({ link: 'offline' }, { problem: '没有配置省级平台地址。', platform: '' }))
    await clerk()
    expect(indicator().attributes('data-link')).toBe('problem')
    expect(indicator().classes()).toContain('link-problem')
    expect(indicator().get('[data-testid="sync-indicator-link"]').text()).toBe('未连接平台')
    expect(indicator().attributes('title')).toBe('没有配置省级平台地址。')
  })

  it('a click opens the 同步 page', async () => {
    const { router } = await clerk()
    await indicator().trigger('click')
    await settle()
    expect(router.currentRoute.value.name).toBe('sync')
    expect(body().find('[data-testid="sync-stub"]').exists()).toBe(true)
  })

  it('a session without the sync page never calls State and keeps the static tag', async () => {
    await mountLayout(['auditor'], ['workbench', 'audit'])
    expect(body().find('[data-testid="sync-indicator"]').exists()).toBe(false)
    expect(body().find('[data-testid="platform-state"]').exists()).toBe(true)
    expect(api.syncState).not.toHaveBeenCalled()
    expect(api.onSyncStatus).not.toHaveBeenCalled()
  })

  it('stops listening when the layout goes (logout)', async () => {
    const { w } = await clerk()
    expect(events.cb).not.toBeNull()
    w.unmount()
    expect(events.cb).toBeNull()
  })
})
