// Build for the grid benchmark only (tests/bench/grid-scroll.mjs): the
// bench/ entry, never part of the app build (vite.config.ts).
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath, URL } from 'node:url'

export default defineConfig({
  root: fileURLToPath(new URL('./bench', import.meta.url)),
  base: './',
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: fileURLToPath(new URL('./bench/grid.html', import.meta.url)) },
  },
  logLevel: 'warn',
})
