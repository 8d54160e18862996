import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { createRouter, createMemoryHistory } from 'vue-router'
import { i18n } from '../../src/i18n'

// The Wails runtime does not exist in jsdom; the real bindings are
// exercised by the E2E test. Here the API module is replaced.
const api = vi.hoisted(() => ({
  systemInfo: vi.fn(),
  currentSession: vi.fn(),
  demoUsers: vi.fn(),
  demoLogin: vi.fn(),
  logout: vi.fn(),
}))
vi.mock('../../src/api/backend', () => ({ api }))

import LoginView from '../../src/views/LoginView.vue'
import { useSystemStore } from '../../src/stores/system'

const info = (mode: string) => ({
  build: { version: '1.2.3', commit: 'x', date: 'd', go: 'go', os: 'linux', arch: 'amd64' },
  mode,
  dataDir: '/tmp/caiji',
  schemaVersion: 1,
  installationId: 'abc',
  platform: 'not_configured',
})

const users = [
  { id: 'demo-clerk', name: '张敏（演示）', orgUnit: '演示县民政局', roles: ['clerk'] },
  { id: 'demo-reviewer', name: '李强（演示）', orgUnit: '演示县民政局', roles: ['reviewer'] },
]

async function mountLogin(mode: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/workbench', name: 'workbench', component: { template: '<div>wb</div>' } },
    ],
  })
  await router.push('/login')
  const system = useSystemStore()
  api.systemInfo.mockResolvedValue(info(mode))
  await system.load()
  const wrapper = mount(LoginView, { global: { plugins: [router, i18n, ElementPlus] } })
  await flushPromises()
  return { wrapper, router }
}

describe('LoginView', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    i18n.global.locale.value = 'zh-CN'
    vi.clearAllMocks()
  })

  it('lists demo identities with their roles in demo mode and logs in', async () => {
    api.demoUsers.mockResolvedValue(users)
    api.demoLogin.mockResolvedValue({ user: users[1], pages: ['workbench', 'review', 'sync'], demo: true, startedAt: '' })
    const { wrapper, router } = await mountLogin('demo')

    expect(wrapper.get('[data-testid="demo-badge"]').text()).toBe('演示模式')
    expect(wrapper.text()).toContain('张敏（演示）')
    expect(wrapper.text()).toContain('审核员 · 演示县民政局')

    await wrapper.get('[data-testid="demo-demo-reviewer"] input').setValue(true)
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(api.demoLogin).toHaveBeenCalledWith('demo-reviewer')
    expect(router.currentRoute.value.name).toBe('workbench')
  })

  it('offers no demo login in production mode and says why', async () => {
    const { wrapper } = await mountLogin('production')
    expect(api.demoUsers).not.toHaveBeenCalled()
    expect(wrapper.find('[data-testid="demo-enter"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="demo-badge"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('USB Key 证书登录正在建设中')
  })

  it('stays on login when the backend refuses', async () => {
    api.demoUsers.mockResolvedValue(users)
    api.demoLogin.mockRejectedValue({ code: 'demo_only', message: '演示身份只能在演示模式下使用' })
    const { wrapper, router } = await mountLogin('demo')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('login')
    expect(document.body.textContent).toContain('演示身份只能在演示模式下使用')
  })
})
