import { defineStore } from 'pinia'
import { ref, computed } from 'vue'
import { api, type SessionView } from '../api/backend'

export const useSessionStore = defineStore('session', () => {
  const view = ref<SessionView | null>(null)
  const loaded = ref(false)
  const locked = computed(() => !!view.value?.locked)

  async function load() {
    view.value = await api.currentSession()
    loaded.value = true
  }

  function set(v: SessionView | null) {
    view.value = v
    loaded.value = true
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

  return { view, loaded, locked, load, set, logout, canOpen }
})
