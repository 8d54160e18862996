import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type SyncState } from '../api/backend'

// How often State is read again while someone shows it, in case an event
// is lost (a browser without the Wails runtime gets no events at all).
const POLL_MS = 10000

/**
 * The sync state shared by the header indicator and the 同步 page: read
 * once, then kept up to date by the "sync:status" event. Only sessions
 * that have the sync page start it (the backend refuses the others).
 * `changes` counts the updates, so a page can refresh what depends on them.
 */
export const useSyncStore = defineStore('sync', () => {
  const state = ref<SyncState | null>(null)
  const changes = ref(0)
  let users = 0
  let off: (() => void) | null = null
  let poll: ReturnType<typeof setInterval> | undefined

  function apply(s: SyncState) {
    state.value = s
    changes.value++
  }

  async function load() {
    try {
      apply(await api.syncState())
    } catch {
      // locked or logged out meanwhile: keep what is shown; the next event or poll updates it
    }
  }

  /** Starts listening (once for every caller); returns the stop. */
  function start(): () => void {
    users++
    if (users === 1) {
      off = api.onSyncStatus(apply)
      poll = setInterval(() => void load(), POLL_MS)
      void load()
    }
    let stopped = false
    return () => {
      if (stopped) return
      stopped = true
      users--
      if (users === 0) {
        off?.()
        off = null
        clearInterval(poll)
        poll = undefined
        state.value = null // the next session (another user, another org unit) reads its own
      }
    }
  }

  return { state, changes, load, start, apply }
})
