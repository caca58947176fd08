// Console SPA entry.
// UI kit: Element Plus — mature, has dense tables (size="small") that a
// supervisor scanning many rows needs, and a maintained zh-CN locale; the
// locale follows the console language (App.vue).
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import './styles.css';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import { setUnauthorizedHandler } from './api/http';
import { useAuthStore } from './stores/auth';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n).use(router).use(ElementPlus, { size: 'small' });

// A session that expires mid-use sends us back to the login page.
setUnauthorizedHandler(() => {
  useAuthStore(pinia).clear();
  if (router.currentRoute.value.name !== 'login') void router.replace({ name: 'login' });
});

document.documentElement.lang = i18n.global.locale.value;
app.mount('#app');
