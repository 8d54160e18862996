// The one door to Go. Views and stores call these, never the generated
// bindings directly, so every failure comes back as an AppError.
import * as System from '../../wailsjs/go/app/SystemService'
import * as Session from '../../wailsjs/go/app/SessionService'
import * as Auth from '../../wailsjs/go/app/AuthService'
import * as Admin from '../../wailsjs/go/app/AdminService'
import * as Attachments from '../../wailsjs/go/app/AttachmentService'
import type { app, auth, identity, session } from '../../wailsjs/go/models'
import { toAppError } from './errors'

export type SystemInfo = app.SystemInfo
export type SessionView = app.SessionView
export type User = session.User
export type TokenView = auth.TokenView
export type LoginStep = auth.Step
export type CertView = auth.CertView
export type DemoStatus = app.DemoStatus
export type Account = identity.User
export type OrgUnit = identity.OrgUnit
export type Refusal = identity.Refusal
export type AttachmentView = app.AttachmentView
export type AttachmentPreview = app.AttachmentPreview

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
  logout: () => call(() => Session.Logout()),

  tokens: () => call(() => Auth.Tokens()),
  demo: () => call(() => Auth.Demo()),
  begin: (source: string, slotId: number, pin: string) => call(() => Auth.Begin(source, slotId, pin)),
  finish: (password: string) => call(() => Auth.Finish(password)),
  enrol: (name: string, orgUnit: string, password: string) => call(() => Auth.Enrol(name, orgUnit, password)),
  cancel: () => call(() => Auth.Cancel()),
  lock: () => call(() => Auth.Lock()),
  unlock: (pin: string) => call(() => Auth.Unlock(pin)),
  touch: () => call(() => Auth.Touch()),
  certificate: () => call(() => Auth.Certificate()),
  changePassword: (oldPw: string, newPw: string) => call(() => Auth.ChangePassword(oldPw, newPw)),

  listUsers: () => call(() => Admin.ListUsers()),
  listOrgUnits: () => call(() => Admin.ListOrgUnits()),
  createOrgUnit: (code: string, name: string) => call(() => Admin.CreateOrgUnit(code, name)),
  inspectCertificate: (certFile: string) => call(() => Admin.InspectCertificate(certFile)),
  createUser: (name: string, orgUnitId: number, certFile: string, password: string) =>
    call(() => Admin.CreateUser(name, orgUnitId, certFile, password)),
  setRoles: (userId: number, roles: string[]) => call(() => Admin.SetRoles(userId, roles)),
  setDisabled: (userId: number, disabled: boolean) => call(() => Admin.SetDisabled(userId, disabled)),
  refusals: (limit: number) => call(() => Admin.Refusals(limit)),

  // name: the file's own name (display only); base64Data: standard base64 of
  // its bytes, no "data:" prefix. The returned sha256 goes into the cell
  // (format: backend/attachments/ref.go).
  uploadAttachment: (name: string, base64Data: string) => call(() => Attachments.Upload(name, base64Data)),
  previewAttachment: (sha: string) => call(() => Attachments.Preview(sha)),
}
