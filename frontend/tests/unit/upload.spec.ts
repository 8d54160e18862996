// @vitest-environment node
// Node's own Blob and File: jsdom's have no arrayBuffer(), which the
// upload reads each chunk with (as browsers and WebView2/WebKitGTK do).
import { describe, expect, it, vi } from 'vitest'
import { CHUNK_BYTES, toBase64, uploadFile, type UploadBackend } from '../../src/entry/upload'

// A fake backend that keeps what it received, like app/import_service.go.
function fakeBackend(opts: { failAt?: number; shortBy?: number } = {}) {
  const chunks: string[] = []
  let received = 0
  const backend: UploadBackend & { chunks: string[] } = {
    chunks,
    importBegin: vi.fn(async () => 'up1'),
    importAppend: vi.fn(async (_id: string, b64: string) => {
      if (opts.failAt === chunks.length) throw new Error(JSON.stringify({ code: 'internal', message: '无法写入暂存文件，磁盘可能已满。' }))
      chunks.push(b64)
      received += Buffer.from(b64, 'base64').length
      return received - (opts.shortBy ?? 0)
    }),
    importDiscard: vi.fn(async () => {}),
  }
  return backend
}

function bytes(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n)
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 8)) & 0xff
  return b
}

const decode = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'))

describe('toBase64', () => {
  it('matches the standard encoding, also across its 8 KiB slices', () => {
    for (const n of [0, 1, 2, 3, 0x2000 - 1, 0x2000, 0x2000 * 3 + 5, 1 << 20]) {
      const b = bytes(n)
      expect(toBase64(b)).toBe(Buffer.from(b).toString('base64'))
    }
  })
})

describe('uploadFile', () => {
  it('splits a file into 1 MiB base64 chunks, sent in order, with progress', async () => {
    const size = 2 * CHUNK_BYTES + 12345
    const data = bytes(size)
    const file = new File([data], '花名册.xlsx')
    const slice = vi.spyOn(file, 'slice')
    const backend = fakeBackend()
    const progress: [number, number][] = []
    const id = await uploadFile(backend, file, { onProgress: (s, t) => progress.push([s, t]) })

    expect(id).toBe('up1')
    expect(backend.importBegin).toHaveBeenCalledWith('花名册.xlsx', size)
    expect(backend.chunks.map((c) => decode(c).length)).toEqual([CHUNK_BYTES, CHUNK_BYTES, 12345])
    // In order, and together exactly the file.
    const joined = new Uint8Array(size)
    let at = 0
    for (const c of backend.chunks) {
      const d = decode(c)
      joined.set(d, at)
      at += d.length
    }
    expect(Buffer.compare(joined, data)).toBe(0)
    // The file is read piece by piece, never whole.
    expect(slice.mock.calls).toEqual([
      [0, CHUNK_BYTES],
      [CHUNK_BYTES, 2 * CHUNK_BYTES],
      [2 * CHUNK_BYTES, size],
    ])
    expect(progress).toEqual([
      [0, size],
      [CHUNK_BYTES, size],
      [2 * CHUNK_BYTES, size],
      [size, size],
    ])
    expect(backend.importDiscard).not.toHaveBeenCalled()
  })

  it('sends one call at a time', async () => {
    let running = 0
    let most = 0
    const backend = fakeBackend()
    const inner = backend.importAppend
    backend.importAppend = async (id, b64) => {
      most = Math.max(most, ++running)
      await new Promise((r) => setTimeout(r, 1))
      try {
        return await inner(id, b64)
      } finally {
        running--
      }
    }
    await uploadFile(backend, new Blob([bytes(5000)]), { chunkBytes: 1000 })
    expect(backend.chunks).toHaveLength(5)
    expect(most).toBe(1)
  })

  it('stops at the first failed chunk, discards the upload and rejects with the AppError', async () => {
    const backend = fakeBackend({ failAt: 1 })
    await expect(uploadFile(backend, new Blob([bytes(3500)]), { chunkBytes: 1000 })).rejects.toEqual({
      code: 'internal',
      message: '无法写入暂存文件，磁盘可能已满。',
    })
    expect(backend.importAppend).toHaveBeenCalledTimes(2)
    expect(backend.importDiscard).toHaveBeenCalledWith('up1')
  })

  it('refuses a count that does not match what was sent', async () => {
    const backend = fakeBackend({ shortBy: 1 })
    await expect(uploadFile(backend, new Blob([bytes(1500)]), { chunkBytes: 1000 })).rejects.toMatchObject({ code: 'bad_input' })
    expect(backend.importAppend).toHaveBeenCalledTimes(1)
    expect(backend.importDiscard).toHaveBeenCalledWith('up1')
  })

  it('a refused Begin sends nothing', async () => {
    const backend = fakeBackend()
    backend.importBegin = vi.fn(async () => {
      throw new Error(JSON.stringify({ code: 'import_empty', message: '所选文件是空的（0 字节），请重新选择。' }))
    })
    await expect(uploadFile(backend, new Blob([]))).rejects.toMatchObject({ code: 'import_empty' })
    expect(backend.importAppend).not.toHaveBeenCalled()
    expect(backend.importDiscard).not.toHaveBeenCalled()
  })

  it('a cancel stops between chunks and discards', async () => {
    const backend = fakeBackend()
    const ctl = new AbortController()
    const p = uploadFile(backend, new Blob([bytes(5000)]), {
      chunkBytes: 1000,
      onProgress: (sent) => {
        if (sent === 2000) ctl.abort()
      },
      signal: ctl.signal,
    })
    await expect(p).rejects.toMatchObject({ code: 'canceled' })
    expect(backend.chunks).toHaveLength(2)
    expect(backend.importDiscard).toHaveBeenCalledWith('up1')
  })
})
