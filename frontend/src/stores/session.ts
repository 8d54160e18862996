import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type SessionView } from '../api/backend'

export const useSessionStore = defineStore('session', () => {
  const view = ref<SessionView | null>(null)
  const loaded = ref(false)

  async function load() {
    view.value = await api.currentSession()
    loaded.value = true
  }

  async function demoLogin(userId: string) {
    view.value = await api.demoLogin(userId)
  }

  async function logout() {
    await api.logout()
    view.value = null
  }

  // canOpen mirrors the backend's decision (SessionView.pages) for the
  // menu; the backend still checks every call.
  function canOpen(page: string): boolean {
    return !!view.value?.pages.includes(page)
  }

  return { view, loaded, load, demoLogin, logout, canOpen }
})
