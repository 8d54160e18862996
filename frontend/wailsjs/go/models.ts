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

