import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, useState, type ComponentType } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';
import { ApiError } from './api/api-error';
import { SessionProvider } from './auth/session';
import { Layout } from './components/layout';
import { HomePage } from './pages/home-page';
import { NotFoundPage } from './pages/not-found-page';

// Pages other than home load on first visit: the first download carries the frame and the home page only.
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));
const RegisterPage = page(() => import('./pages/register/register-page'), 'RegisterPage');
const RegisterEntryPage = page(() => import('./pages/register/register-entry-page'), 'RegisterEntryPage');
const TransparencyStatementPage = page(
  () => import('./pages/transparency/transparency-statement-page'),
  'TransparencyStatementPage',
);
const OptOutsExplainedPage = page(
  () => import('./pages/transparency/opt-outs-explained-page'),
  'OptOutsExplainedPage',
);
const AccessibilityPage = page(() => import('./pages/info/accessibility-page'), 'AccessibilityPage');
const PrivacyPage = page(() => import('./pages/info/privacy-page'), 'PrivacyPage');
const SignInPage = page(() => import('./pages/account/sign-in-page'), 'SignInPage');
const SignedInPage = page(() => import('./pages/account/signed-in-page'), 'SignedInPage');
const AccountPage = page(() => import('./pages/account/account-page'), 'AccountPage');
const NotificationsPage = page(() => import('./pages/account/notifications-page'), 'NotificationsPage');
const ResearcherDashboardPage = page(
  () => import('./pages/researcher/dashboard-page'),
  'ResearcherDashboardPage',
);
const ResearcherProjectPage = page(() => import('./pages/researcher/project-page'), 'ResearcherProjectPage');
const ApplicationPage = page(
  () => import('./pages/researcher/application/application-page'),
  'ApplicationPage',
);
const VersionsPage = page(() => import('./pages/researcher/versions-page'), 'VersionsPage');
const OutputRequestPage = page(
  () => import('./pages/researcher/outputs/output-request-page'),
  'OutputRequestPage',
);
const CheckerQueuePage = page(() => import('./pages/checker/checker-queue-page'), 'CheckerQueuePage');
const CheckerRequestPage = page(() => import('./pages/checker/output-request-page'), 'OutputRequestPage');
const FileReviewPage = page(() => import('./pages/checker/file-review-page'), 'FileReviewPage');
const CommitteeQueuePage = page(() => import('./pages/committee/committee-queue-page'), 'CommitteeQueuePage');
const ApplicationReviewPage = page(
  () => import('./pages/committee/application-review-page'),
  'ApplicationReviewPage',
);
const CataloguePage = page(() => import('./pages/custodian/catalogue-page'), 'CataloguePage');
const DatasetPage = page(() => import('./pages/custodian/dataset-page'), 'DatasetPage');
const OptOutsPage = page(() => import('./pages/custodian/opt-outs-page'), 'OptOutsPage');
const AuditPage = page(() => import('./pages/admin/audit-page'), 'AuditPage');
const AdminProjectsPage = page(() => import('./pages/admin/admin-projects-page'), 'AdminProjectsPage');
const AdminWorkspacesPage = page(() => import('./pages/admin/admin-workspaces-page'), 'AdminWorkspacesPage');
const AdminWorkspacePage = page(() => import('./pages/admin/admin-workspace-page'), 'AdminWorkspacePage');
const AdminSessionsPage = page(() => import('./pages/admin/admin-sessions-page'), 'AdminSessionsPage');
const AdminPeoplePage = page(() => import('./pages/admin/admin-people-page'), 'AdminPeoplePage');
const RequireSignIn = page(() => import('./components/require-sign-in'), 'RequireSignIn');

/** Every page, under /app. Part 2's roles add their pages here (see apps/web/README.md). */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'register', element: <RegisterPage /> },
      { path: 'register/:id', element: <RegisterEntryPage /> },
      { path: 'transparency-statement', element: <TransparencyStatementPage /> },
      { path: 'opt-outs', element: <OptOutsExplainedPage /> },
      { path: 'accessibility', element: <AccessibilityPage /> },
      { path: 'privacy', element: <PrivacyPage /> },
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'signed-in', element: <SignedInPage /> },
      { path: 'account', element: <AccountPage /> },
      { path: 'account/notifications', element: <NotificationsPage /> },
      { path: 'researcher', element: <ResearcherDashboardPage /> },
      { path: 'researcher/apply', element: <ApplicationPage /> },
      { path: 'researcher/projects/:id', element: <ResearcherProjectPage /> },
      { path: 'researcher/projects/:id/edit', element: <ApplicationPage /> },
      { path: 'researcher/projects/:id/versions', element: <VersionsPage /> },
      { path: 'researcher/outputs/:id', element: <OutputRequestPage /> },
      {
        path: 'checker',
        element: <RequireSignIn />,
        children: [
          { index: true, element: <CheckerQueuePage /> },
          { path: 'requests/:id', element: <CheckerRequestPage /> },
          { path: 'requests/:id/files/:fileId', element: <FileReviewPage /> },
        ],
      },
      {
        path: 'committee',
        element: <RequireSignIn />,
        children: [
          { index: true, element: <CommitteeQueuePage /> },
          { path: 'applications/:id', element: <ApplicationReviewPage /> },
        ],
      },
      {
        path: 'custodian',
        element: <RequireSignIn />,
        children: [
          { index: true, element: <CataloguePage /> },
          { path: 'datasets/:code', element: <DatasetPage /> },
          { path: 'opt-outs', element: <OptOutsPage /> },
        ],
      },
      {
        path: 'admin',
        element: <RequireSignIn />,
        children: [
          { index: true, element: <AdminProjectsPage /> },
          { path: 'audit', element: <AuditPage /> },
          { path: 'workspaces', element: <AdminWorkspacesPage /> },
          { path: 'workspaces/:id', element: <AdminWorkspacePage /> },
          { path: 'sessions', element: <AdminSessionsPage /> },
          { path: 'people', element: <AdminPeoplePage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A refusal (4xx) will not change by asking again; a failure to reach the service might.
        retry: (count, error) =>
          count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        staleTime: 10_000,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function App() {
  // Made once for the page's life (not on each render).
  const [router] = useState(() => createBrowserRouter(routes, { basename: '/app' }));
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </QueryClientProvider>
  );
}
