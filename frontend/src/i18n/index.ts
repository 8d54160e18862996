import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'
import type { AppError } from '../api/errors'

export type Locale = 'zh-CN' | 'en'
const STORAGE_KEY = 'caiji.locale'

function initialLocale(): Locale {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

export function setLocale(l: Locale) {
  i18n.global.locale.value = l
  localStorage.setItem(STORAGE_KEY, l)
}

// errorText: in Chinese the backend's own message is the most precise (it
// names the file, the field, the fix); in other locales use our translation
// of the code, keeping the code visible for support.
export function errorText(err: AppError): string {
  const g = i18n.global
  if (g.locale.value === 'zh-CN') return err.message
  const key = `errors.${err.code}`
  return g.te(key) ? `${g.t(key)} (${err.code})` : `${err.message} (${err.code})`
}
