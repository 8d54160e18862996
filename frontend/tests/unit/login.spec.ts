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
  tokens: vi.fn(),
  demo: vi.fn(),
  begin: vi.fn(),
  finish: vi.fn(),
  enrol: vi.fn(),
  cancel: vi.fn(),
}))
vi.mock('../../src/api/backend', () => ({ api }))

import LoginView from '../../src/views/LoginView.vue'
import { useSystemStore } from '../../src/stores/system'
import { useSessionStore } from '../../src/stores/session'

const info = (mode: string) => ({
  build: { version: '1.2.3', commit: 'x', date: 'd', go: 'go', os: 'linux', arch: 'amd64' },
  mode,
  dataDir: '/tmp/caiji',
  schemaVersion: 2,
  installationId: 'abc',
  platform: 'not_configured',
})
const tokens = [
  { source: '/lib/softhsm.so', slotId: 7, label: 'CAIJI-DEMO-CLERK', serial: 's1', manufacturer: 'SoftHSM', model: 'v2', software: false },
  { source: '/lib/softhsm.so', slotId: 9, label: 'CAIJI-DEMO-REVIEWER', serial: 's2', manufacturer: 'SoftHSM', model: 'v2', software: false },
]
const cert = { subject: '张敏', issuer: '演示 CA', serial: '1', fingerprint: 'f', algorithm: 'RSA', notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z', daysLeft: 20, expiresSoon: true }
const sessionView = { user: { id: '4', name: '张敏', orgUnit: '演示县民政局', roles: ['clerk'] }, pages: ['workbench', 'entry', 'sync'], demo: true, software: false, locked: false, lockReason: '', startedAt: '', password: { mustChange: false, expired: false, daysLeft: 90, remindNow: false } }

async function mountLogin(mode = 'demo') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/workbench', name: 'workbench', component: { template: '<div>wb</div>' } },
    ],
  })
  await router.push('/login')
  api.systemInfo.mockResolvedValue(info(mode))
  await useSystemStore().load()
  const wrapper = mount(LoginView, { global: { plugins: [router, i18n, ElementPlus] } })
  await flushPromises()
  return { wrapper, router }
}

describe('LoginView', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    i18n.global.locale.value = 'zh-CN'
    vi.clearAllMocks()
    api.tokens.mockResolvedValue(tokens)
    api.demo.mockResolvedValue({ demo: false, ready: false, problem: '', keys: [] })
    api.cancel.mockResolvedValue(undefined)
  })

  it('logs in with key, PIN and password', async () => {
    api.begin.mockResolvedValue({ next: 'password', cert, userName: '张敏', warnings: [{ code: 'crl_unavailable', message: '无法获取吊销列表' }] })
    api.finish.mockResolvedValue(sessionView)
    const { wrapper, router } = await mountLogin()

    expect(wrapper.text()).toContain('CAIJI-DEMO-CLERK')
    await wrapper.get('[data-testid="token-CAIJI-DEMO-REVIEWER"] input').setValue(true)
    await wrapper.get('[data-testid="pin"]').setValue('222222')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(api.begin).toHaveBeenCalledWith('/lib/softhsm.so', 9, '222222')

    // The certificate is shown with its expiry warning and the CRL warning.
    expect(wrapper.get('[data-testid="cert-expiry-warning"]').text()).toContain('20 天后过期')
    expect(wrapper.text()).toContain('无法获取吊销列表')
    expect(wrapper.get('[data-testid="account-name"]').text()).toContain('张敏')

    await wrapper.get('[data-testid="password"]').setValue('Caiji@2026demo')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(api.finish).toHaveBeenCalledWith('Caiji@2026demo')
    expect(useSessionStore().view?.user.name).toBe('张敏')
    expect(router.currentRoute.value.name).toBe('workbench')
  })

  it('shows the backend reason and stays on the PIN step when refused', async () => {
    api.begin.mockRejectedValue({ code: 'cert_revoked', message: '证书已于 2026-03-01 被吊销' })
    const { wrapper, router } = await mountLogin()
    await wrapper.get('[data-testid="token-CAIJI-DEMO-CLERK"] input').setValue(true)
    await wrapper.get('[data-testid="pin"]').setValue('111111')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="login-error"]').text()).toContain('证书已于 2026-03-01 被吊销')
    expect(wrapper.find('[data-testid="pin"]').exists()).toBe(true)
    expect(router.currentRoute.value.name).toBe('login')
  })

  it('enrols the first administrator and checks the confirmation locally', async () => {
    api.begin.mockResolvedValue({ next: 'enrol', cert, userName: '', warnings: [] })
    api.enrol.mockResolvedValue({ ...sessionView, user: { ...sessionView.user, roles: ['sysadmin'] } })
    const { wrapper, router } = await mountLogin()
    await wrapper.get('[data-testid="token-CAIJI-DEMO-CLERK"] input').setValue(true)
    await wrapper.get('[data-testid="pin"]').setValue('111111')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect((wrapper.get('[data-testid="enrol-name"]').element as HTMLInputElement).value).toBe('张敏')
    await wrapper.get('[data-testid="enrol-org"]').setValue('测试县财政局')
    await wrapper.get('[data-testid="enrol-password"]').setValue('Strong#pass2026')
    await wrapper.get('[data-testid="enrol-confirm"]').setValue('Strong#pass2027')
    await wrapper.get('[data-testid="enrol-form"]').trigger('submit')
    await flushPromises()
    expect(api.enrol).not.toHaveBeenCalled()
    expect(wrapper.get('[data-testid="login-error"]').text()).toContain('两次输入的密码不一致')

    await wrapper.get('[data-testid="enrol-confirm"]').setValue('Strong#pass2026')
    await wrapper.get('[data-testid="enrol-form"]').trigger('submit')
    await flushPromises()
    expect(api.enrol).toHaveBeenCalledWith('张敏', '测试县财政局', 'Strong#pass2026')
    expect(router.currentRoute.value.name).toBe('workbench')
  })

  it('says so when no key is inserted', async () => {
    api.tokens.mockResolvedValue([])
    const { wrapper } = await mountLogin('production')
    expect(wrapper.get('[data-testid="no-token"]').text()).toContain('未检测到 USB Key')
    expect(wrapper.get('[data-testid="next"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="demo-badge"]').exists()).toBe(false)
  })

  it('lists demo keys and fills in a key and PIN on click', async () => {
    api.demo.mockResolvedValue({
      demo: true,
      ready: true,
      problem: '',
      keys: [{ role: 'reviewer', name: '李强', orgUnit: '演示县民政局', tokenLabel: 'CAIJI-DEMO-REVIEWER', pin: '222222', password: 'Caiji@2026demo' }],
    })
    const { wrapper } = await mountLogin()
    const panel = wrapper.get('[data-testid="demo-keys"]')
    expect(panel.text()).toContain('Caiji@2026demo')
    expect(panel.text()).toContain('审核员')
    await panel.get('.el-table__row').trigger('click')
    await flushPromises()
    expect((wrapper.get('[data-testid="pin"]').element as HTMLInputElement).value).toBe('222222')
    expect((wrapper.get('[data-testid="token-CAIJI-DEMO-REVIEWER"] input').element as HTMLInputElement).checked).toBe(true)
  })
})
