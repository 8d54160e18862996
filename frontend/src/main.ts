import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './style.css'
import App from './App.vue'
import { i18n } from './i18n'
import { makeRouter } from './router'
import { vxeTablePlugin } from './components/grid/vxe'
import { listenForClose } from './entry/closing'

const app = createApp(App)
app.use(createPinia())
app.use(i18n)
app.use(makeRouter())
app.use(ElementPlus)
app.use(vxeTablePlugin)
app.mount('#app')
listenForClose()
