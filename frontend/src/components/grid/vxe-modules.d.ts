// Types for the deep imports in vxe.ts: vxe-table ships types only for its
// root entry, which would pull in every module (grid, toolbar, …).
declare module 'vxe-table/es/ui/index.js' {
  export { VxeUI } from 'vxe-table'
}
declare module 'vxe-table/es/table/index.js' {
  export { VxeTable } from 'vxe-table'
}
declare module 'vxe-table/es/column/index.js' {
  export { VxeColumn } from 'vxe-table'
}
declare module 'vxe-table/es/locale/lang/zh-CN.js' {
  const messages: Record<string, unknown>
  export default messages
}
