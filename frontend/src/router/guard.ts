// Where a navigation may go, as a pure function so it is unit-tested.
export interface GuardInput {
  loggedIn: boolean
  allowedPages: string[]
  target: { name: string; page?: string }
}

export type GuardResult = true | { name: string }

export function decide({ loggedIn, allowedPages, target }: GuardInput): GuardResult {
  if (target.name === 'login') return loggedIn ? { name: 'workbench' } : true
  if (!loggedIn) return { name: 'login' }
  if (target.page && !allowedPages.includes(target.page)) return { name: 'workbench' }
  return true
}
