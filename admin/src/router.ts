// Routes: login and sign-up are public; everything else needs a session,
// restored from the cookie through /auth/me on the first navigation.
import { createRouter, createWebHistory } from 'vue-router';
import { useAuthStore } from './stores/auth';
import { reportRoutes } from './views/reports/routes';

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    { path: '/signup', name: 'signup', component: () => import('./views/SignupView.vue'), meta: { public: true } },
    {
      path: '/',
      component: () => import('./views/ConsoleLayout.vue'),
      children: [
        { path: '', name: 'console', component: () => import('./views/ConsoleView.vue') },
        { path: 'history', name: 'history', component: () => import('./views/EndedChatsView.vue') },
        { path: 'visitors', name: 'visitors', component: () => import('./views/VisitorsView.vue') },
        { path: 'settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
        { path: 'agent-chat', name: 'agent-chat', component: () => import('./views/AgentChatView.vue') },
        { path: 'broadcasts', name: 'broadcasts', component: () => import('./views/BroadcastsView.vue') },
        { path: 'agents', name: 'agents', component: () => import('./views/AgentsAdminView.vue') },
        { path: 'routing-settings', name: 'routing-settings', component: () => import('./views/RoutingSettingsView.vue') },
        ...reportRoutes,
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  const auth = useAuthStore();
  let loggedIn = auth.loggedIn;
  if (!auth.checked) {
    try {
      loggedIn = await auth.restore();
    } catch {
      loggedIn = false; // server unreachable: the login page says so when used
    }
  }
  if (to.meta.public) return loggedIn && to.name === 'login' ? { name: 'console' } : true;
  if (!loggedIn) return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  return true;
});
