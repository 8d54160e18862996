// The one door to Go. Views and stores call these, never the generated
// bindings directly, so every failure comes back as an AppError.
import * as System from '../../wailsjs/go/app/SystemService'
import * as Session from '../../wailsjs/go/app/SessionService'
import type { app, session } from '../../wailsjs/go/models'
import { toAppError } from './errors'

export type SystemInfo = app.SystemInfo
export type SessionView = app.SessionView
export type User = session.User

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    throw toAppError(e)
  }
}

export const api = {
  systemInfo: () => call(() => System.Info()),
  currentSession: () => call(() => Session.Current()),
  demoUsers: () => call(() => Session.DemoUsers()),
  demoLogin: (userId: string) => call(() => Session.DemoLogin(userId)),
  logout: () => call(() => Session.Logout()),
}
