// The one door to Go. Views and stores call these, never the generated
// bindings directly, so every failure comes back as an AppError.
import * as System from '../../wailsjs/go/app/SystemService'
import * as Session from '../../wailsjs/go/app/SessionService'
import * as Auth from '../../wailsjs/go/app/AuthService'
import * as Admin from '../../wailsjs/go/app/AdminService'
import * as Attachments from '../../wailsjs/go/app/AttachmentService'
import * as Entry from '../../wailsjs/go/app/EntryService'
import * as Corrections from '../../wailsjs/go/app/CorrectionService'
import * as Imports from '../../wailsjs/go/app/ImportService'
import * as Exports from '../../wailsjs/go/app/ExportService'
import * as Audit from '../../wailsjs/go/app/AuditService'
import * as Review from '../../wailsjs/go/app/ReviewService'
import * as Sync from '../../wailsjs/go/app/SyncService'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import { audit, batch, type app, type auth, type catalog, type identity, type importer, type outbox, type session, type wire } from '../../wailsjs/go/models'
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
/** One audit log entry as the auditor reads it (before/after: masked JSON text, '' when none). */
export type AuditItem = audit.Item
export type AuditPage = audit.Page
export type AuditReport = audit.Report
export type AuditUser = app.AuditUser
/** What the 审计 page asks for: userId 0 any, -1 nobody identified; action a prefix; from/to YYYY-MM-DD (Beijing), both included; page from 1. */
export interface AuditFilter {
  userId: number
  action: string
  object: string
  from: string
  to: string
  page: number
}
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
/** A correction (更正) against the version it replaces: the clerk's reasons to give, the reviewer's diff. */
export type Changes = batch.Changes
/** One row a correction adds, changes or removes (kind: ChangeKind); values masked. */
export type RowChange = batch.RowChange
export type FieldChange = batch.FieldChange
export type ChangeKind = 'added' | 'changed' | 'removed'
/** One record as it stood in one version (rowId 0: removed in that version); values masked. */
export type RowVersion = batch.RowVersion
/** Why a row was corrected: rowId for a changed or added row, origin (rowId 0) for a removed one. */
export interface CorrectionReason {
  rowId: number
  origin: number
  text: string
}
/** The approval signature checked against the rows as stored now (state: SealState). */
export type Seal = batch.Seal
export type SealState = 'none' | 'valid' | 'broken'
/** One step of a batch's review workflow (submit, approve, return …), oldest first in a trail. */
export type ReviewStep = batch.Review
/** A reviewer's note on one row (field '' for the whole row) of a return. */
export interface RowComment {
  rowId: number
  field: string
  comment: string
}
/** A dry run or commit as the page uses it: app.ImportPreview with its result flattened. */
export type ImportPreview = importer.Result & { uploadId: string; issuesTotal: number }
export type ImportColumn = importer.Column
export type ImportIssue = importer.Issue
export type SavedFile = app.SavedFile
/** The header's and the 同步 page's view of sync: status.link online|offline|login|auth; problem when sync cannot run at all. */
export type SyncState = app.SyncState
export type SyncStatus = outbox.Status
export type SyncLink = 'online' | 'offline' | 'login' | 'auth'
/** One batch version in the outbox (state: SyncItemState), newest first in Items. */
export type SyncItem = outbox.Item
export type SyncItemState = 'queued' | 'sending' | 'accepted' | 'rejected' | 'failed'
export type SyncProgress = outbox.Progress
export type Receipt = wire.Receipt
export type ReceiptCheck = outbox.ReceiptCheck
/** A row the platform refused (rowId 0: no such row here; field '' for the whole row). */
export type PlatformRowIssue = outbox.RowIssue
export type ImportMode = 'append' | 'replace'

function flatPreview(p: app.ImportPreview): ImportPreview {
  return { ...p.result, uploadId: p.uploadId, issuesTotal: p.issuesTotal } as ImportPreview
}
/** Kinds of Exports.Batch (backend/export). */
export type ExportKind = 'table' | 'payroll' | 'cards' | 'summary_project' | 'summary_region' | 'summary_month'
/** The "import:progress" event (app.ImportProgress). percent is -1 when the end is unknown. */
export interface ImportProgress {
  uploadId: string
  phase: 'read' | 'check' | 'commit' | 'report'
  rows: number
  percent: number
}
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

  // Audit log (security auditor only, checked in the backend): 50 entries
  // a page, newest first; verify walks the hash chain and the signed heads;
  // export writes the filtered entries to the exports folder and is itself
  // recorded.
  auditList: (f: AuditFilter) => call(() => Audit.List(audit.Filter.createFrom(f))),
  auditVerify: () => call(() => Audit.Verify()),
  auditExport: (f: AuditFilter) => call(() => Audit.Export(audit.Filter.createFrom(f))),
  auditUsers: () => call(() => Audit.Users()),

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

  // Corrections (更正, backend/batch/correction.go): an approved or synced
  // batch is changed through a new version (Correct, clerk; a closed
  // period needs the 整改 reference) whose every change needs a reason
  // before it goes to review again. Reasons do not move the revision.
  correct: (baseId: number, rectification: string) => call(() => Corrections.Correct(baseId, rectification)),
  setCorrectionReason: (batchId: number, r: CorrectionReason) =>
    call(() => Corrections.SetReason(batchId, batch.Reason.createFrom(r))),
  correctionChanges: (batchId: number) => call(() => Corrections.Changes(batchId)),
  rowHistory: (batchId: number, rowId: number) => call(() => Corrections.History(batchId, rowId)),
  exportRowHistory: (batchId: number, rowId: number) => call(() => Corrections.ExportHistory(batchId, rowId)),

  // Import (clerk only): Begin, then Append the file in chunks (standard
  // base64, in order; see entry/upload.ts), then Check (dry run, stores
  // nothing) and Commit with the revision the Check returned. Cancel makes
  // a running Check/Commit reject with code "canceled"; Discard when done.
  importBegin: (name: string, size: number) => call(() => Imports.Begin(name, size)),
  importAppend: (uploadId: string, base64Chunk: string) => call(() => Imports.Append(uploadId, base64Chunk)),
  importCheck: (uploadId: string, batchId: number, mode: ImportMode) =>
    call(() => Imports.Check(uploadId, batchId, mode)).then(flatPreview),
  importCommit: (uploadId: string, batchId: number, mode: ImportMode, validOnly: boolean, revision: number) =>
    call(() => Imports.Commit(uploadId, batchId, mode, validOnly, revision)).then(flatPreview),
  importCancel: (uploadId: string) => call(() => Imports.Cancel(uploadId)),
  importErrorReport: (uploadId: string) => call(() => Imports.ErrorReport(uploadId)),
  importDiscard: (uploadId: string) => call(() => Imports.Discard(uploadId)),
  /** Subscribes to "import:progress"; returns the unsubscribe. A no-op where the Wails runtime is absent (unit tests). */
  onImportProgress: (cb: (p: ImportProgress) => void): (() => void) => {
    if (!(window as unknown as { runtime?: unknown }).runtime) return () => {}
    return EventsOn('import:progress', (p: ImportProgress) => cb(p))
  },

  // Exports (clerk, reviewer): files land in the data directory's 导出/.
  // full=true exports ID numbers and accounts unmasked and is recorded.
  exportTemplate: (dataset: string) => call(() => Exports.Template(dataset)),
  exportBatch: (batchId: number, kind: ExportKind, full: boolean) => call(() => Exports.Batch(batchId, kind, full)),
  /** Desktop only (code not_available in a browser); '' when the clerk cancelled. */
  saveAs: (path: string) => call(() => Exports.SaveAs(path)),
  showInFolder: (path: string) => call(() => Exports.ShowInFolder(path)),

  // Review (审核, backend/batch/workflow.go): the clerk submits a draft or
  // returned batch at its current revision (warnings need confirmWarnings
  // and a 说明); the reviewer approves or returns it (comment ≥ 4 chars,
  // optional notes on rows). The backend refuses stale revisions and a
  // reviewer approving a batch they edited.
  reviewWaiting: () => call(() => Review.Waiting()),
  reviewTrail: (batchId: number) => call(() => Review.Trail(batchId)),
  submitForReview: (batchId: number, revision: number, confirmWarnings: boolean, comment: string) =>
    call(() => Review.Submit(batchId, revision, confirmWarnings, comment)),
  approveBatch: (batchId: number, revision: number) => call(() => Review.Approve(batchId, revision)),
  /** The approval signature re-checked against the stored rows: none (not approved yet), valid, or broken with why. */
  seal: (batchId: number) => call(() => Review.Seal(batchId)),
  returnBatch: (batchId: number, revision: number, comment: string, rows: RowComment[]) =>
    call(() => Review.Return(batchId, revision, comment, rows.map((r) => batch.RowComment.createFrom(r)))),

  // Sync (同步, clerk and reviewer, backend/outbox): approved batches are
  // sent by a background worker; these read its state and nudge it.
  // Retry is refused (bad_input) for an accepted or rejected item.
  syncState: () => call(() => Sync.State()),
  syncItems: () => call(() => Sync.Items()),
  syncRetry: (itemId: number) => call(() => Sync.Retry(itemId)),
  syncNow: () => call(() => Sync.Now()),
  /** The rows the platform refused in a batch; for a correction of a rejected batch, mapped onto its rows. */
  syncRowIssues: (batchId: number) => call(() => Sync.RowIssues(batchId)),
  /** The stored receipt's signature checked again against the platform key. */
  syncCheckReceipt: (itemId: number) => call(() => Sync.CheckReceipt(itemId)),
  /** Subscribes to "sync:status" (an app.SyncState on every change); returns the unsubscribe. A no-op without the Wails runtime. */
  onSyncStatus: (cb: (s: SyncState) => void): (() => void) => {
    if (!(window as unknown as { runtime?: unknown }).runtime) return () => {}
    return EventsOn('sync:status', (s: SyncState) => cb(s))
  },
}
