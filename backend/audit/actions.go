package audit

// Actions the app records (docs/audit-log.md, "Wiring"). Values are
// stored and hashed; never rename one. The 审计 page has its own labels
// in both languages (frontend/src/i18n, audit.actions); these are the
// Chinese ones for exported files.
const (
	ActLogin          = "login"
	ActLoginRefused   = "login.refused"
	ActLogout         = "logout"
	ActLock           = "session.lock"
	ActUnlock         = "session.unlock"
	ActUnlockRefused  = "session.unlock.refused"
	ActRefused        = "refused"
	ActBatchSave      = "batch.save"
	ActBatchImport    = "batch.import"
	ActBatchExport    = "batch.export"
	ActBatchReveal    = "batch.reveal"
	ActLockException  = "period.exception"
	ActSettingChange  = "setting.change"
	ActOrgCreate      = "org.create"
	ActUserEnrol      = "user.enrol"
	ActUserCreate     = "user.create"
	ActUserRoles      = "user.roles"
	ActUserDisable    = "user.disable"
	ActUserPassword   = "user.password"
	ActAuditExport    = "audit.export"
	ActRefusalsCopied = "audit.refusals_copied"
)

var labels = map[string]string{
	ActLogin:          "登录",
	ActLoginRefused:   "登录被拒绝",
	ActLogout:         "退出登录",
	ActLock:           "锁定会话",
	ActUnlock:         "解锁会话",
	ActUnlockRefused:  "解锁被拒绝",
	ActRefused:        "操作被拒绝",
	ActBatchSave:      "保存数据",
	ActBatchImport:    "导入数据",
	ActBatchExport:    "导出数据",
	ActBatchReveal:    "查看完整号码",
	"batch.submit":    "提交审核",
	"batch.approve":   "审核通过",
	"batch.return":    "退回修改",
	"batch.queue":     "排队发送",
	"batch.accept":    "平台已接收",
	"batch.reject":    "平台已拒收",
	"batch.correct":   "新建更正版本",
	"batch.reason":    "填写更正原因",
	ActLockException:  "登记整改例外",
	ActSettingChange:  "修改设置",
	ActOrgCreate:      "新建机构",
	ActUserEnrol:      "首次开通",
	ActUserCreate:     "新建账号",
	ActUserRoles:      "角色授权",
	ActUserDisable:    "停用或启用账号",
	ActUserPassword:   "修改密码",
	ActAuditExport:    "导出审计日志",
	ActRefusalsCopied: "迁入旧拒绝记录",
}

// Label is the Chinese name of an action; an action without one (added
// by a later version) is shown as it is stored.
func Label(action string) string {
	if l, ok := labels[action]; ok {
		return l
	}
	return action
}
