import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { createRouter, createMemoryHistory } from 'vue-router'
import { i18n } from '../../src/i18n'

const api = vi.hoisted(() => ({ unlock: vi.fn(), logout: vi.fn() }))
vi.mock('../../src/api/backend', () => ({ api }))

import LockScreen from '../../src/components/LockScreen.vue'
import { useSessionStore } from '../../src/stores/session'

const locked = (reason: string) => ({
  user: { id: '1', name: '张敏', orgUnit: 'u', roles: ['clerk'] },
  pages: [],
  demo: true,
  software: false,
  locked: true,
  lockReason: reason,
  startedAt: '',
  password: { mustChange: false, expired: false, daysLeft: 90, remindNow: false },
})

async function mountLock(reason: string) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', name: 'login', component: { template: '<div/>' } }] })
  useSessionStore().set(locked(reason) as never)
  const w = mount(LockScreen, { global: { plugins: [router, i18n, ElementPlus] } })
  await flushPromises()
  return w
}

describe('LockScreen', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    i18n.global.locale.value = 'zh-CN'
    vi.clearAllMocks()
  })

  it('says the key was pulled out and unlocks with the PIN', async () => {
    api.unlock.mockResolvedValue({ ...locked(''), locked: false, pages: ['workbench'] })
    const w = await mountLock('token_removed')
    expect(w.get('[data-testid="lock-reason"]').text()).toContain('USB Key 已拔出')
    await w.get('[data-testid="unlock-pin"]').setValue('111111')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(api.unlock).toHaveBeenCalledWith('111111')
    expect(useSessionStore().locked).toBe(false)
  })

  it('keeps the lock and shows why when the PIN is wrong', async () => {
    api.unlock.mockRejectedValue({ code: 'pin_incorrect', message: 'PIN 码错误，还可以再试 3 次' })
    const w = await mountLock('idle')
    expect(w.get('[data-testid="lock-reason"]').text()).toContain('长时间未操作')
    await w.get('[data-testid="unlock-pin"]').setValue('000000')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="unlock-error"]').text()).toContain('PIN 码错误')
    expect(useSessionStore().locked).toBe(true)
  })
})
