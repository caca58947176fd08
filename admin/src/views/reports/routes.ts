// Console routes for the reports (children of the console layout). Reports need
// the 'analytics' permission (admins have all); the API says 403 anyway, this
// keeps agents without it from landing on an empty page.
import type { RouteRecordRaw } from 'vue-router';
import { useAuthStore } from '../../stores/auth';

export const reportRoutes: RouteRecordRaw[] = [
  {
    path: 'reports/:report?', name: 'reports', component: () => import('./ReportsView.vue'),
    beforeEnter: () => (useAuthStore().can('analytics') ? true : { name: 'console' }),
  },
];
