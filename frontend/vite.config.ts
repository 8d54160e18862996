import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath, URL } from 'node:url'

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    // The desktop webview loads from disk: one chunk per library keeps the
    // first paint on a slow PC from waiting for the whole bundle to parse.
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks: { 'element-plus': ['element-plus'], vue: ['vue', 'vue-router', 'pinia', 'vue-i18n'] },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['tests/unit/**/*.spec.ts'],
  },
})
