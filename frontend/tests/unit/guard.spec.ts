import { describe, expect, it } from 'vitest'
import { decide } from '../../src/router/guard'

const clerkPages = ['workbench', 'entry', 'sync']

describe('route guard', () => {
  it('sends anonymous users to login', () => {
    expect(decide({ loggedIn: false, allowedPages: [], target: { name: 'workbench', page: 'workbench' } })).toEqual({ name: 'login' })
  })
  it('lets anonymous users see login', () => {
    expect(decide({ loggedIn: false, allowedPages: [], target: { name: 'login' } })).toBe(true)
  })
  it('sends logged-in users away from login', () => {
    expect(decide({ loggedIn: true, allowedPages: clerkPages, target: { name: 'login' } })).toEqual({ name: 'workbench' })
  })
  it('allows a page the backend allows', () => {
    expect(decide({ loggedIn: true, allowedPages: clerkPages, target: { name: 'entry', page: 'entry' } })).toBe(true)
  })
  it('redirects a page the backend does not allow', () => {
    expect(decide({ loggedIn: true, allowedPages: clerkPages, target: { name: 'audit', page: 'audit' } })).toEqual({ name: 'workbench' })
  })
})
