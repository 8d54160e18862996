export namespace app {
	
	export class SessionView {
	    user: session.User;
	    pages: string[];
	    demo: boolean;
	    startedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new SessionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.user = this.convertValues(source["user"], session.User);
	        this.pages = source["pages"];
	        this.demo = source["demo"];
	        this.startedAt = source["startedAt"];
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

