import { defineStore } from 'pinia'
import { ref, computed } from 'vue'
import { api, type SystemInfo } from '../api/backend'

export const useSystemStore = defineStore('system', () => {
  const info = ref<SystemInfo | null>(null)
  const demo = computed(() => info.value?.mode === 'demo')
  const problem = computed(() => info.value?.problem ?? null)

  async function load() {
    info.value = await api.systemInfo()
  }

  return { info, demo, problem, load }
})
