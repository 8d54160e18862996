// The one door to Go. Views and stores call these, never the generated
// bindings directly, so every failure comes back as an AppError.
import * as System from '../../wailsjs/go/app/SystemService'
import * as Session from '../../wailsjs/go/app/SessionService'
import * as Auth from '../../wailsjs/go/app/AuthService'
import * as Admin from '../../wailsjs/go/app/AdminService'
import * as Attachments from '../../wailsjs/go/app/AttachmentService'
import * as Entry from '../../wailsjs/go/app/EntryService'
import { batch, type app, type auth, type catalog, type identity, type session } from '../../wailsjs/go/models'
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
export type Dataset = catalog.Dataset
export type Field = catalog.Field
export type Batch = batch.Batch
export type RowPage = batch.RowPage
export type BatchRow = batch.Row
export type SaveResult = batch.SaveResult
export type Report = batch.Report
export type Issue = batch.Issue
export type Workbench = batch.Workbench
export type WorkItem = batch.WorkItem
export type MonthProgress = batch.MonthProgress
export type LockException = batch.LockException
export interface EditRequest {
  revision: number
  cells: { rowId: number; field: string; value: string }[]
  add: Record<string, string>[]
  delete: number[]
}

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

  datasets: () => call(() => Entry.Datasets()),
  workbench: () => call(() => Entry.Workbench()),
  listBatches: (dataset: string) => call(() => Entry.ListBatches(dataset)),
  openBatch: (dataset: string, period: string) => call(() => Entry.OpenBatch(dataset, period)),
  getBatch: (id: number) => call(() => Entry.GetBatch(id)),
  rows: (id: number, offset: number, limit: number) => call(() => Entry.Rows(id, offset, limit)),
  save: (id: number, edit: EditRequest) => call(() => Entry.Save(id, batch.Edit.createFrom(edit))),
  validate: (id: number) => call(() => Entry.Validate(id)),
  reveal: (id: number, rowId: number, field: string) => call(() => Entry.Reveal(id, rowId, field)),
  grantLockException: (dataset: string, period: string, reason: string, reference: string) =>
    call(() => Entry.GrantLockException(dataset, period, reason, reference)),
}
