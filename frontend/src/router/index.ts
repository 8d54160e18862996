import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from '../stores/session'
import { decide } from './guard'

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('../views/LoginView.vue') },
  {
    path: '/',
    component: () => import('../layouts/MainLayout.vue'),
    children: [
      { path: '', redirect: { name: 'workbench' } },
      { path: 'workbench', name: 'workbench', component: () => import('../views/WorkbenchView.vue'), meta: { page: 'workbench' } },
      { path: 'entry', name: 'entry', component: () => import('../views/EntryView.vue'), meta: { page: 'entry' } },
      { path: 'entry/batch/:id', name: 'batch', component: () => import('../views/BatchView.vue'), meta: { page: 'entry' } },
      // 审核: the queue, and one batch open for review (reviewer only).
      { path: 'review', name: 'review', component: () => import('../views/ReviewView.vue'), meta: { page: 'review' } },
      { path: 'review/batch/:id', name: 'review-batch', component: () => import('../views/ReviewView.vue'), meta: { page: 'review' } },
      // 同步: the outbox, the platform link, receipts (clerk and reviewer).
      { path: 'sync', name: 'sync', component: () => import('../views/SyncView.vue'), meta: { page: 'sync' } },
      { path: 'audit', name: 'audit', component: () => import('../views/AuditView.vue'), meta: { page: 'audit' } },
      { path: 'admin', name: 'admin', component: () => import('../views/AdminView.vue'), meta: { page: 'admin' } },
      // Every logged-in user: their certificate and password.
      { path: 'account', name: 'account', component: () => import('../views/AccountView.vue') },
    ],
  },
  { path: '/:rest(.*)*', redirect: { name: 'workbench' } },
]

export function makeRouter() {
  // Hash history: the webview loads from the embedded asset server, and
  // hash URLs survive a reload without server-side routing.
  const router = createRouter({ history: createWebHashHistory(), routes })
  router.beforeEach(async (to) => {
    const session = useSessionStore()
    if (!session.loaded) {
      try {
        await session.load()
      } catch {
        // start-up problems are shown by App.vue; stay on login
      }
    }
    return decide({
      loggedIn: !!session.view,
      allowedPages: session.view?.pages ?? [],
      target: { name: String(to.name ?? ''), page: to.meta.page as string | undefined },
    })
  })
  return router
}
