// vxe-table, only the parts the grid uses: the table and its columns, with
// the Chinese locale and the light theme. Importing the package root would
// also bring its grid, toolbar and colgroup modules. vxe-pc-ui (the rest of
// the vxe component library) is not loaded: without it the table falls back
// to plain DOM for the few things it would borrow from there (tooltips,
// loading mask), and DataGrid draws those itself.
import type { App } from 'vue'
import { VxeUI } from 'vxe-table/es/ui/index.js'
import { VxeTable } from 'vxe-table/es/table/index.js'
import { VxeColumn } from 'vxe-table/es/column/index.js'
import zhCN from 'vxe-table/es/locale/lang/zh-CN.js'
import 'vxe-table/es/style.min.css'

VxeUI.setI18n('zh-CN', zhCN)
VxeUI.setLanguage('zh-CN')
VxeUI.setTheme('light')

export { VxeTable, VxeColumn }

// The Vue plugin: registers <vxe-table> and <vxe-column> app-wide.
export const vxeTablePlugin = {
  install(app: App) {
    app.use(VxeTable)
    app.use(VxeColumn)
  },
}
