export namespace app {
	
	export class AttachmentView {
	    sha256: string;
	    size: number;
	    mime: string;
	    name: string;
	    createdBy: number;
	    // Go type: time
	    createdAt: any;
	
	    static createFrom(source: any = {}) {
	        return new AttachmentView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sha256 = source["sha256"];
	        this.size = source["size"];
	        this.mime = source["mime"];
	        this.name = source["name"];
	        this.createdBy = source["createdBy"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AttachmentPreview {
	    attachment: AttachmentView;
	    dataUrl: string;
	
	    static createFrom(source: any = {}) {
	        return new AttachmentPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.attachment = this.convertValues(source["attachment"], AttachmentView);
	        this.dataUrl = source["dataUrl"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class AuditUser {
	    id: number;
	    name: string;
	    orgUnit: string;
	    disabled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AuditUser(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.orgUnit = source["orgUnit"];
	        this.disabled = source["disabled"];
	    }
	}
	export class DemoKey {
	    role: string;
	    name: string;
	    orgUnit: string;
	    tokenLabel: string;
	    pin: string;
	    password: string;
	
	    static createFrom(source: any = {}) {
	        return new DemoKey(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.role = source["role"];
	        this.name = source["name"];
	        this.orgUnit = source["orgUnit"];
	        this.tokenLabel = source["tokenLabel"];
	        this.pin = source["pin"];
	        this.password = source["password"];
	    }
	}
	export class DemoStatus {
	    demo: boolean;
	    ready: boolean;
	    software: boolean;
	    problem: string;
	    keys: DemoKey[];
	
	    static createFrom(source: any = {}) {
	        return new DemoStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.demo = source["demo"];
	        this.ready = source["ready"];
	        this.software = source["software"];
	        this.problem = source["problem"];
	        this.keys = this.convertValues(source["keys"], DemoKey);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportPreview {
	    uploadId: string;
	    result: importer.Result;
	    issuesTotal: number;
	
	    static createFrom(source: any = {}) {
	        return new ImportPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.uploadId = source["uploadId"];
	        this.result = this.convertValues(source["result"], importer.Result);
	        this.issuesTotal = source["issuesTotal"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PasswordView {
	    mustChange: boolean;
	    expired: boolean;
	    daysLeft: number;
	    remindNow: boolean;
	
	    static createFrom(source: any = {}) {
	        return new PasswordView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mustChange = source["mustChange"];
	        this.expired = source["expired"];
	        this.daysLeft = source["daysLeft"];
	        this.remindNow = source["remindNow"];
	    }
	}
	export class SavedFile {
	    path: string;
	    name: string;
	    dir: string;
	    size: number;
	
	    static createFrom(source: any = {}) {
	        return new SavedFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.name = source["name"];
	        this.dir = source["dir"];
	        this.size = source["size"];
	    }
	}
	export class SessionView {
	    user: session.User;
	    pages: string[];
	    demo: boolean;
	    software: boolean;
	    locked: boolean;
	    lockReason: string;
	    startedAt: string;
	    password: PasswordView;
	
	    static createFrom(source: any = {}) {
	        return new SessionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.user = this.convertValues(source["user"], session.User);
	        this.pages = source["pages"];
	        this.demo = source["demo"];
	        this.software = source["software"];
	        this.locked = source["locked"];
	        this.lockReason = source["lockReason"];
	        this.startedAt = source["startedAt"];
	        this.password = this.convertValues(source["password"], PasswordView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StartupProblem {
	    code: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new StartupProblem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.message = source["message"];
	    }
	}
	export class SyncState {
	    status: outbox.Status;
	    platform: string;
	    demo: boolean;
	    problem?: string;
	
	    static createFrom(source: any = {}) {
	        return new SyncState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = this.convertValues(source["status"], outbox.Status);
	        this.platform = source["platform"];
	        this.demo = source["demo"];
	        this.problem = source["problem"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SystemInfo {
	    build: buildinfo.Info;
	    mode: string;
	    dataDir: string;
	    schemaVersion: number;
	    installationId: string;
	    platform: string;
	    problem?: StartupProblem;
	
	    static createFrom(source: any = {}) {
	        return new SystemInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.build = this.convertValues(source["build"], buildinfo.Info);
	        this.mode = source["mode"];
	        this.dataDir = source["dataDir"];
	        this.schemaVersion = source["schemaVersion"];
	        this.installationId = source["installationId"];
	        this.platform = source["platform"];
	        this.problem = this.convertValues(source["problem"], StartupProblem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace audit {
	
	export class Filter {
	    userId: number;
	    action: string;
	    object: string;
	    from: string;
	    to: string;
	    page: number;
	
	    static createFrom(source: any = {}) {
	        return new Filter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.userId = source["userId"];
	        this.action = source["action"];
	        this.object = source["object"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.page = source["page"];
	    }
	}
	export class Item {
	    id: number;
	    // Go type: time
	    at: any;
	    userId: number;
	    userName: string;
	    certFingerprint: string;
	    action: string;
	    object: string;
	    before: string;
	    after: string;
	
	    static createFrom(source: any = {}) {
	        return new Item(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = this.convertValues(source["at"], null);
	        this.userId = source["userId"];
	        this.userName = source["userName"];
	        this.certFingerprint = source["certFingerprint"];
	        this.action = source["action"];
	        this.object = source["object"];
	        this.before = source["before"];
	        this.after = source["after"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Page {
	    items: Item[];
	    total: number;
	    page: number;
	    pageSize: number;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Item);
	        this.total = source["total"];
	        this.page = source["page"];
	        this.pageSize = source["pageSize"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Report {
	    ok: boolean;
	    entries: number;
	    heads: number;
	    first_broken?: number;
	    reason: string;
	    signatures_checked: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.entries = source["entries"];
	        this.heads = source["heads"];
	        this.first_broken = source["first_broken"];
	        this.reason = source["reason"];
	        this.signatures_checked = source["signatures_checked"];
	    }
	}

}

export namespace auth {
	
	export class CertView {
	    subject: string;
	    issuer: string;
	    serial: string;
	    fingerprint: string;
	    algorithm: string;
	    // Go type: time
	    notBefore: any;
	    // Go type: time
	    notAfter: any;
	    daysLeft: number;
	    expiresSoon: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CertView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.subject = source["subject"];
	        this.issuer = source["issuer"];
	        this.serial = source["serial"];
	        this.fingerprint = source["fingerprint"];
	        this.algorithm = source["algorithm"];
	        this.notBefore = this.convertValues(source["notBefore"], null);
	        this.notAfter = this.convertValues(source["notAfter"], null);
	        this.daysLeft = source["daysLeft"];
	        this.expiresSoon = source["expiresSoon"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Step {
	    next: string;
	    cert: CertView;
	    userName?: string;
	    warnings: pki.Warning[];
	
	    static createFrom(source: any = {}) {
	        return new Step(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.next = source["next"];
	        this.cert = this.convertValues(source["cert"], CertView);
	        this.userName = source["userName"];
	        this.warnings = this.convertValues(source["warnings"], pki.Warning);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TokenView {
	    source: string;
	    software: boolean;
	    modulePath: string;
	    slotId: number;
	    label: string;
	    serial: string;
	    manufacturer: string;
	    model: string;
	    pinLocked: boolean;
	    pinFinalTry: boolean;
	    pinCountLow: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TokenView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.source = source["source"];
	        this.software = source["software"];
	        this.modulePath = source["modulePath"];
	        this.slotId = source["slotId"];
	        this.label = source["label"];
	        this.serial = source["serial"];
	        this.manufacturer = source["manufacturer"];
	        this.model = source["model"];
	        this.pinLocked = source["pinLocked"];
	        this.pinFinalTry = source["pinFinalTry"];
	        this.pinCountLow = source["pinCountLow"];
	    }
	}

}

export namespace batch {
	
	export class LockException {
	    id: number;
	    reason: string;
	    reference: string;
	    grantedBy: number;
	    // Go type: time
	    at: any;
	
	    static createFrom(source: any = {}) {
	        return new LockException(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.reason = source["reason"];
	        this.reference = source["reference"];
	        this.grantedBy = source["grantedBy"];
	        this.at = this.convertValues(source["at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Batch {
	    id: number;
	    dataset: string;
	    datasetName: string;
	    datasetVersion: number;
	    orgUnitId: number;
	    period: string;
	    periodLabel: string;
	    periodStatus: string;
	    deadline: string;
	    daysLeft: number;
	    version: number;
	    replaces: number;
	    supersededBy: number;
	    rectification: string;
	    status: string;
	    revision: number;
	    rows: number;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	    editable: boolean;
	    readOnlyReason?: string;
	    lockException?: LockException;
	
	    static createFrom(source: any = {}) {
	        return new Batch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.dataset = source["dataset"];
	        this.datasetName = source["datasetName"];
	        this.datasetVersion = source["datasetVersion"];
	        this.orgUnitId = source["orgUnitId"];
	        this.period = source["period"];
	        this.periodLabel = source["periodLabel"];
	        this.periodStatus = source["periodStatus"];
	        this.deadline = source["deadline"];
	        this.daysLeft = source["daysLeft"];
	        this.version = source["version"];
	        this.replaces = source["replaces"];
	        this.supersededBy = source["supersededBy"];
	        this.rectification = source["rectification"];
	        this.status = source["status"];
	        this.revision = source["revision"];
	        this.rows = source["rows"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.editable = source["editable"];
	        this.readOnlyReason = source["readOnlyReason"];
	        this.lockException = this.convertValues(source["lockException"], LockException);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CellEdit {
	    rowId: number;
	    field: string;
	    value: string;
	
	    static createFrom(source: any = {}) {
	        return new CellEdit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rowId = source["rowId"];
	        this.field = source["field"];
	        this.value = source["value"];
	    }
	}
	export class FieldChange {
	    field: string;
	    label: string;
	    before: string;
	    after: string;
	
	    static createFrom(source: any = {}) {
	        return new FieldChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.label = source["label"];
	        this.before = source["before"];
	        this.after = source["after"];
	    }
	}
	export class RowChange {
	    kind: string;
	    rowId: number;
	    origin: number;
	    seq: number;
	    reason: string;
	    fields: FieldChange[];
	
	    static createFrom(source: any = {}) {
	        return new RowChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.rowId = source["rowId"];
	        this.origin = source["origin"];
	        this.seq = source["seq"];
	        this.reason = source["reason"];
	        this.fields = this.convertValues(source["fields"], FieldChange);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Changes {
	    batchId: number;
	    version: number;
	    baseId: number;
	    baseVersion: number;
	    baseStatus: string;
	    rows: RowChange[];
	    missing: number;
	
	    static createFrom(source: any = {}) {
	        return new Changes(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.batchId = source["batchId"];
	        this.version = source["version"];
	        this.baseId = source["baseId"];
	        this.baseVersion = source["baseVersion"];
	        this.baseStatus = source["baseStatus"];
	        this.rows = this.convertValues(source["rows"], RowChange);
	        this.missing = source["missing"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Edit {
	    revision: number;
	    cells: CellEdit[];
	    add: any[];
	    delete: number[];
	
	    static createFrom(source: any = {}) {
	        return new Edit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.revision = source["revision"];
	        this.cells = this.convertValues(source["cells"], CellEdit);
	        this.add = source["add"];
	        this.delete = source["delete"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Issue {
	    rowId: number;
	    row: number;
	    field: string;
	    code: string;
	    severity: string;
	    message: string;
	    other?: number;
	
	    static createFrom(source: any = {}) {
	        return new Issue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rowId = source["rowId"];
	        this.row = source["row"];
	        this.field = source["field"];
	        this.code = source["code"];
	        this.severity = source["severity"];
	        this.message = source["message"];
	        this.other = source["other"];
	    }
	}
	
	export class MonthProgress {
	    month: string;
	    submitted: number;
	    draft: number;
	    overdue: number;
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new MonthProgress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.month = source["month"];
	        this.submitted = source["submitted"];
	        this.draft = source["draft"];
	        this.overdue = source["overdue"];
	        this.total = source["total"];
	    }
	}
	export class Reason {
	    rowId: number;
	    origin: number;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new Reason(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rowId = source["rowId"];
	        this.origin = source["origin"];
	        this.text = source["text"];
	    }
	}
	export class Report {
	    batchId: number;
	    dataset: string;
	    revision: number;
	    rows: number;
	    errors: number;
	    warnings: number;
	    issues: Issue[];
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.batchId = source["batchId"];
	        this.dataset = source["dataset"];
	        this.revision = source["revision"];
	        this.rows = source["rows"];
	        this.errors = source["errors"];
	        this.warnings = source["warnings"];
	        this.issues = this.convertValues(source["issues"], Issue);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RowComment {
	    rowId: number;
	    field: string;
	    comment: string;
	
	    static createFrom(source: any = {}) {
	        return new RowComment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rowId = source["rowId"];
	        this.field = source["field"];
	        this.comment = source["comment"];
	    }
	}
	export class Review {
	    id: number;
	    action: string;
	    from: string;
	    to: string;
	    userName: string;
	    comment: string;
	    warnings: number;
	    // Go type: time
	    at: any;
	    rowComments: RowComment[];
	
	    static createFrom(source: any = {}) {
	        return new Review(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.action = source["action"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.userName = source["userName"];
	        this.comment = source["comment"];
	        this.warnings = source["warnings"];
	        this.at = this.convertValues(source["at"], null);
	        this.rowComments = this.convertValues(source["rowComments"], RowComment);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Row {
	    id: number;
	    seq: number;
	    cells: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new Row(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.seq = source["seq"];
	        this.cells = source["cells"];
	    }
	}
	
	
	export class RowPage {
	    offset: number;
	    total: number;
	    rows: Row[];
	
	    static createFrom(source: any = {}) {
	        return new RowPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.offset = source["offset"];
	        this.total = source["total"];
	        this.rows = this.convertValues(source["rows"], Row);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RowVersion {
	    batchId: number;
	    version: number;
	    status: string;
	    rectification: string;
	    rowId: number;
	    seq: number;
	    cells: Record<string, string>;
	    reason: string;
	    changed: string[];
	    updatedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new RowVersion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.batchId = source["batchId"];
	        this.version = source["version"];
	        this.status = source["status"];
	        this.rectification = source["rectification"];
	        this.rowId = source["rowId"];
	        this.seq = source["seq"];
	        this.cells = source["cells"];
	        this.reason = source["reason"];
	        this.changed = source["changed"];
	        this.updatedAt = source["updatedAt"];
	    }
	}
	export class SaveResult {
	    revision: number;
	    added: number[];
	    rows: number;
	
	    static createFrom(source: any = {}) {
	        return new SaveResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.revision = source["revision"];
	        this.added = source["added"];
	        this.rows = source["rows"];
	    }
	}
	export class Seal {
	    state: string;
	    signer: string;
	    // Go type: time
	    signedAt: any;
	    digest: string;
	    code?: string;
	    message?: string;
	
	    static createFrom(source: any = {}) {
	        return new Seal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.signer = source["signer"];
	        this.signedAt = this.convertValues(source["signedAt"], null);
	        this.digest = source["digest"];
	        this.code = source["code"];
	        this.message = source["message"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class WorkItem {
	    dataset: string;
	    datasetName: string;
	    domain: string;
	    domainLabel: string;
	    period: string;
	    periodLabel: string;
	    periodStatus: string;
	    deadline: string;
	    daysLeft: number;
	    batchId: number;
	    status: string;
	    rows: number;
	    state: string;
	
	    static createFrom(source: any = {}) {
	        return new WorkItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dataset = source["dataset"];
	        this.datasetName = source["datasetName"];
	        this.domain = source["domain"];
	        this.domainLabel = source["domainLabel"];
	        this.period = source["period"];
	        this.periodLabel = source["periodLabel"];
	        this.periodStatus = source["periodStatus"];
	        this.deadline = source["deadline"];
	        this.daysLeft = source["daysLeft"];
	        this.batchId = source["batchId"];
	        this.status = source["status"];
	        this.rows = source["rows"];
	        this.state = source["state"];
	    }
	}
	export class Workbench {
	    due: number;
	    overdue: number;
	    returned: number;
	    items: WorkItem[];
	    months: MonthProgress[];
	    year: number;
	
	    static createFrom(source: any = {}) {
	        return new Workbench(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.due = source["due"];
	        this.overdue = source["overdue"];
	        this.returned = source["returned"];
	        this.items = this.convertValues(source["items"], WorkItem);
	        this.months = this.convertValues(source["months"], MonthProgress);
	        this.year = source["year"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace buildinfo {
	
	export class Info {
	    version: string;
	    commit: string;
	    date: string;
	    go: string;
	    os: string;
	    arch: string;
	
	    static createFrom(source: any = {}) {
	        return new Info(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.commit = source["commit"];
	        this.date = source["date"];
	        this.go = source["go"];
	        this.os = source["os"];
	        this.arch = source["arch"];
	    }
	}

}

export namespace catalog {
	
	export class Rule {
	    code: string;
	    severity: string;
	    field: string;
	    when?: string;
	    assert: string;
	    oncePer?: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Rule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.severity = source["severity"];
	        this.field = source["field"];
	        this.when = source["when"];
	        this.assert = source["assert"];
	        this.oncePer = source["oncePer"];
	        this.message = source["message"];
	    }
	}
	export class EnumValue {
	    code: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new EnumValue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.label = source["label"];
	    }
	}
	export class Field {
	    code: string;
	    label: string;
	    type: string;
	    required: boolean;
	    values?: EnumValue[];
	    maxLength?: number;
	    help: string;
	    aliases?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Field(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.label = source["label"];
	        this.type = source["type"];
	        this.required = source["required"];
	        this.values = this.convertValues(source["values"], EnumValue);
	        this.maxLength = source["maxLength"];
	        this.help = source["help"];
	        this.aliases = source["aliases"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Parent {
	    dataset: string;
	    field: string;
	
	    static createFrom(source: any = {}) {
	        return new Parent(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dataset = source["dataset"];
	        this.field = source["field"];
	    }
	}
	export class Dataset {
	    code: string;
	    name: string;
	    domain: string;
	    period: string;
	    version: number;
	    comparison?: boolean;
	    layout?: string;
	    key: string[];
	    parent?: Parent;
	    fields: Field[];
	    rules?: Rule[];
	
	    static createFrom(source: any = {}) {
	        return new Dataset(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.name = source["name"];
	        this.domain = source["domain"];
	        this.period = source["period"];
	        this.version = source["version"];
	        this.comparison = source["comparison"];
	        this.layout = source["layout"];
	        this.key = source["key"];
	        this.parent = this.convertValues(source["parent"], Parent);
	        this.fields = this.convertValues(source["fields"], Field);
	        this.rules = this.convertValues(source["rules"], Rule);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	

}

export namespace identity {
	
	export class CertRef {
	    issuer: string;
	    serial: string;
	    ski: string;
	    fingerprint: string;
	    subject: string;
	    // Go type: time
	    notAfter: any;
	
	    static createFrom(source: any = {}) {
	        return new CertRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.issuer = source["issuer"];
	        this.serial = source["serial"];
	        this.ski = source["ski"];
	        this.fingerprint = source["fingerprint"];
	        this.subject = source["subject"];
	        this.notAfter = this.convertValues(source["notAfter"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OrgUnit {
	    id: number;
	    code: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new OrgUnit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.code = source["code"];
	        this.name = source["name"];
	    }
	}
	export class Refusal {
	    id: number;
	    // Go type: time
	    at: any;
	    userId: number;
	    userName: string;
	    method: string;
	    code: string;
	
	    static createFrom(source: any = {}) {
	        return new Refusal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = this.convertValues(source["at"], null);
	        this.userId = source["userId"];
	        this.userName = source["userName"];
	        this.method = source["method"];
	        this.code = source["code"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class User {
	    id: number;
	    name: string;
	    orgUnitId: number;
	    orgUnit: string;
	    roles: string[];
	    cert: CertRef;
	    disabled: boolean;
	    mustChangePassword: boolean;
	    // Go type: time
	    passwordChangedAt: any;
	    // Go type: time
	    lockedUntil?: any;
	
	    static createFrom(source: any = {}) {
	        return new User(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.orgUnitId = source["orgUnitId"];
	        this.orgUnit = source["orgUnit"];
	        this.roles = source["roles"];
	        this.cert = this.convertValues(source["cert"], CertRef);
	        this.disabled = source["disabled"];
	        this.mustChangePassword = source["mustChangePassword"];
	        this.passwordChangedAt = this.convertValues(source["passwordChangedAt"], null);
	        this.lockedUntil = this.convertValues(source["lockedUntil"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace importer {
	
	export class Column {
	    index: number;
	    letter: string;
	    header: string;
	    field: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new Column(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.letter = source["letter"];
	        this.header = source["header"];
	        this.field = source["field"];
	        this.label = source["label"];
	    }
	}
	export class Issue {
	    row: number;
	    column: string;
	    field: string;
	    label: string;
	    code: string;
	    severity: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Issue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.row = source["row"];
	        this.column = source["column"];
	        this.field = source["field"];
	        this.label = source["label"];
	        this.code = source["code"];
	        this.severity = source["severity"];
	        this.message = source["message"];
	    }
	}
	export class Result {
	    sheet: string;
	    headerRow: number;
	    columns: Column[];
	    ignored: string[];
	    skipped: number[];
	    rows: number;
	    valid: number;
	    errorRows: number;
	    errors: number;
	    warnings: number;
	    issues: Issue[];
	    revision: number;
	    committed: boolean;
	    imported: number;
	    batchRows: number;
	    notCommitted?: string;
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sheet = source["sheet"];
	        this.headerRow = source["headerRow"];
	        this.columns = this.convertValues(source["columns"], Column);
	        this.ignored = source["ignored"];
	        this.skipped = source["skipped"];
	        this.rows = source["rows"];
	        this.valid = source["valid"];
	        this.errorRows = source["errorRows"];
	        this.errors = source["errors"];
	        this.warnings = source["warnings"];
	        this.issues = this.convertValues(source["issues"], Issue);
	        this.revision = source["revision"];
	        this.committed = source["committed"];
	        this.imported = source["imported"];
	        this.batchRows = source["batchRows"];
	        this.notCommitted = source["notCommitted"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace outbox {
	
	export class Counts {
	    queued: number;
	    accepted: number;
	    rejected: number;
	    failed: number;
	
	    static createFrom(source: any = {}) {
	        return new Counts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.queued = source["queued"];
	        this.accepted = source["accepted"];
	        this.rejected = source["rejected"];
	        this.failed = source["failed"];
	    }
	}
	export class Item {
	    id: number;
	    batchId: number;
	    batchUid: string;
	    dataset: string;
	    datasetName: string;
	    period: string;
	    periodLabel: string;
	    version: number;
	    rows: number;
	    state: string;
	    attempts: number;
	    // Go type: time
	    queuedAt: any;
	    // Go type: time
	    nextAttemptAt: any;
	    sentBytes: number;
	    totalBytes: number;
	    errorCode: string;
	    error: string;
	    // Go type: time
	    doneAt: any;
	    receipt?: wire.Receipt;
	
	    static createFrom(source: any = {}) {
	        return new Item(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.batchId = source["batchId"];
	        this.batchUid = source["batchUid"];
	        this.dataset = source["dataset"];
	        this.datasetName = source["datasetName"];
	        this.period = source["period"];
	        this.periodLabel = source["periodLabel"];
	        this.version = source["version"];
	        this.rows = source["rows"];
	        this.state = source["state"];
	        this.attempts = source["attempts"];
	        this.queuedAt = this.convertValues(source["queuedAt"], null);
	        this.nextAttemptAt = this.convertValues(source["nextAttemptAt"], null);
	        this.sentBytes = source["sentBytes"];
	        this.totalBytes = source["totalBytes"];
	        this.errorCode = source["errorCode"];
	        this.error = source["error"];
	        this.doneAt = this.convertValues(source["doneAt"], null);
	        this.receipt = this.convertValues(source["receipt"], wire.Receipt);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Progress {
	    itemId: number;
	    batchUid: string;
	    version: number;
	    sent: number;
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Progress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.itemId = source["itemId"];
	        this.batchUid = source["batchUid"];
	        this.version = source["version"];
	        this.sent = source["sent"];
	        this.total = source["total"];
	    }
	}
	export class ReceiptCheck {
	    receipt: wire.Receipt;
	    verified: boolean;
	    message: string;
	    keySha256: string;
	
	    static createFrom(source: any = {}) {
	        return new ReceiptCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.receipt = this.convertValues(source["receipt"], wire.Receipt);
	        this.verified = source["verified"];
	        this.message = source["message"];
	        this.keySha256 = source["keySha256"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RowIssue {
	    rowNo: number;
	    rowId: number;
	    field: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new RowIssue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rowNo = source["rowNo"];
	        this.rowId = source["rowId"];
	        this.field = source["field"];
	        this.message = source["message"];
	    }
	}
	export class Status {
	    link: string;
	    message: string;
	    // Go type: time
	    lastContact: any;
	    counts: Counts;
	    current?: Progress;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.link = source["link"];
	        this.message = source["message"];
	        this.lastContact = this.convertValues(source["lastContact"], null);
	        this.counts = this.convertValues(source["counts"], Counts);
	        this.current = this.convertValues(source["current"], Progress);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace pki {
	
	export class Warning {
	    code: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Warning(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.message = source["message"];
	    }
	}

}

export namespace session {
	
	export class User {
	    id: string;
	    name: string;
	    orgUnit: string;
	    roles: string[];
	
	    static createFrom(source: any = {}) {
	        return new User(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.orgUnit = source["orgUnit"];
	        this.roles = source["roles"];
	    }
	}

}

export namespace wire {
	
	export class RowIssue {
	    row: number;
	    field: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new RowIssue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.row = source["row"];
	        this.field = source["field"];
	        this.message = source["message"];
	    }
	}
	export class Receipt {
	    batchUid: string;
	    version: number;
	    contentSha256: string;
	    // Go type: time
	    receivedAt: any;
	    status: string;
	    rejectedRows: RowIssue[];
	
	    static createFrom(source: any = {}) {
	        return new Receipt(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.batchUid = source["batchUid"];
	        this.version = source["version"];
	        this.contentSha256 = source["contentSha256"];
	        this.receivedAt = this.convertValues(source["receivedAt"], null);
	        this.status = source["status"];
	        this.rejectedRows = this.convertValues(source["rejectedRows"], RowIssue);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

