// Console routes for the reports (children of the console layout).
import type { RouteRecordRaw } from 'vue-router';

export const reportRoutes: RouteRecordRaw[] = [
  { path: 'reports/:report?', name: 'reports', component: () => import('./ReportsView.vue') },
];
