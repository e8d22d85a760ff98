import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';
import { ApiError } from './api/api-error';
import { SessionProvider } from './auth/session';
import { Layout } from './components/layout';
import { RequireSignIn } from './components/require-sign-in';
import { HomePage } from './pages/home-page';
import { NotFoundPage } from './pages/not-found-page';
import {
  readRegisterFilter,
  readRegisterPage,
  registerEntryQuery,
  registerQuery,
} from './pages/register/register-queries';
import { optOutsQuery, readPeriod, statementQuery } from './pages/transparency/transparency-queries';

/**
 * Pages other than home load on first visit: the first download carries the frame and the home page only.
 * The router loads a page's code before it shows the page (route `lazy`), rather than React showing a
 * fallback and then the page (React.lazy): React holds a revealed fallback's replacement back for 300 ms
 * to avoid flicker, which was a third of the time to a page's data on first load.
 */
const page =
  <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  async () => ({ Component: (await load())[name] });

/**
 * Every page, under /app. Part 2's roles add their pages here (see apps/web/README.md). The public pages with
 * data start asking for it in their loader, without waiting: the question to the API goes out with the page's
 * code, not after it has arrived and rendered. The loaders return nothing; the pages read the query cache.
 */
export function appRoutes(queryClient: QueryClient): RouteObject[] {
  return [
    {
      element: <Layout />,
      // Until the first page's code is in: the frame, with the page's place saying it is on its way.
      hydrateFallbackElement: <Layout pending />,
      children: [
        { index: true, element: <HomePage /> },
        {
          path: 'register',
          loader: ({ request }) => {
            const params = new URL(request.url).searchParams;
            void queryClient.prefetchQuery(
              registerQuery(readRegisterFilter(params), readRegisterPage(params)),
            );
            return null;
          },
          lazy: page(() => import('./pages/register/register-page'), 'RegisterPage'),
        },
        {
          path: 'register/:id',
          loader: ({ params }) => {
            void queryClient.prefetchQuery(registerEntryQuery(params.id ?? ''));
            return null;
          },
          lazy: page(() => import('./pages/register/register-entry-page'), 'RegisterEntryPage'),
        },
        {
          path: 'transparency-statement',
          loader: ({ request }) => {
            void queryClient.prefetchQuery(statementQuery(readPeriod(new URL(request.url).searchParams)));
            return null;
          },
          lazy: page(
            () => import('./pages/transparency/transparency-statement-page'),
            'TransparencyStatementPage',
          ),
        },
        {
          path: 'opt-outs',
          loader: () => {
            void queryClient.prefetchQuery(optOutsQuery);
            return null;
          },
          lazy: page(() => import('./pages/transparency/opt-outs-explained-page'), 'OptOutsExplainedPage'),
        },
        {
          path: 'accessibility',
          lazy: page(() => import('./pages/info/accessibility-page'), 'AccessibilityPage'),
        },
        { path: 'privacy', lazy: page(() => import('./pages/info/privacy-page'), 'PrivacyPage') },
        { path: 'sign-in', lazy: page(() => import('./pages/account/sign-in-page'), 'SignInPage') },
        { path: 'signed-in', lazy: page(() => import('./pages/account/signed-in-page'), 'SignedInPage') },
        { path: 'account', lazy: page(() => import('./pages/account/account-page'), 'AccountPage') },
        {
          path: 'account/notifications',
          lazy: page(() => import('./pages/account/notifications-page'), 'NotificationsPage'),
        },
        {
          path: 'researcher',
          lazy: page(() => import('./pages/researcher/dashboard-page'), 'ResearcherDashboardPage'),
        },
        {
          path: 'researcher/apply',
          lazy: page(() => import('./pages/researcher/application/application-page'), 'ApplicationPage'),
        },
        {
          path: 'researcher/projects/:id',
          lazy: page(() => import('./pages/researcher/project-page'), 'ResearcherProjectPage'),
        },
        {
          path: 'researcher/projects/:id/edit',
          lazy: page(() => import('./pages/researcher/application/application-page'), 'ApplicationPage'),
        },
        {
          path: 'researcher/projects/:id/versions',
          lazy: page(() => import('./pages/researcher/versions-page'), 'VersionsPage'),
        },
        {
          path: 'researcher/outputs/:id',
          lazy: page(() => import('./pages/researcher/outputs/output-request-page'), 'OutputRequestPage'),
        },
        {
          path: 'checker',
          element: <RequireSignIn />,
          children: [
            {
              index: true,
              lazy: page(() => import('./pages/checker/checker-queue-page'), 'CheckerQueuePage'),
            },
            {
              path: 'requests/:id',
              lazy: page(() => import('./pages/checker/output-request-page'), 'OutputRequestPage'),
            },
            {
              path: 'requests/:id/files/:fileId',
              lazy: page(() => import('./pages/checker/file-review-page'), 'FileReviewPage'),
            },
          ],
        },
        {
          path: 'committee',
          element: <RequireSignIn />,
          children: [
            {
              index: true,
              lazy: page(() => import('./pages/committee/committee-queue-page'), 'CommitteeQueuePage'),
            },
            {
              path: 'applications/:id',
              lazy: page(() => import('./pages/committee/application-review-page'), 'ApplicationReviewPage'),
            },
          ],
        },
        {
          path: 'custodian',
          element: <RequireSignIn />,
          children: [
            { index: true, lazy: page(() => import('./pages/custodian/catalogue-page'), 'CataloguePage') },
            {
              path: 'datasets/:code',
              lazy: page(() => import('./pages/custodian/dataset-page'), 'DatasetPage'),
            },
            { path: 'opt-outs', lazy: page(() => import('./pages/custodian/opt-outs-page'), 'OptOutsPage') },
          ],
        },
        {
          path: 'admin',
          element: <RequireSignIn />,
          children: [
            {
              index: true,
              lazy: page(() => import('./pages/admin/admin-projects-page'), 'AdminProjectsPage'),
            },
            { path: 'audit', lazy: page(() => import('./pages/admin/audit-page'), 'AuditPage') },
            {
              path: 'workspaces',
              lazy: page(() => import('./pages/admin/admin-workspaces-page'), 'AdminWorkspacesPage'),
            },
            {
              path: 'workspaces/:id',
              lazy: page(() => import('./pages/admin/admin-workspace-page'), 'AdminWorkspacePage'),
            },
            {
              path: 'sessions',
              lazy: page(() => import('./pages/admin/admin-sessions-page'), 'AdminSessionsPage'),
            },
            {
              path: 'people',
              lazy: page(() => import('./pages/admin/admin-people-page'), 'AdminPeoplePage'),
            },
          ],
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ];
}

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

/** The router for the app's pages: made before the first render, so the first page's code and data are asked for at once. */
export function createAppRouter(queryClient: QueryClient) {
  return createBrowserRouter(appRoutes(queryClient), { basename: '/app' });
}

export function App({
  queryClient,
  router,
}: {
  queryClient: QueryClient;
  router: ReturnType<typeof createAppRouter>;
}) {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </QueryClientProvider>
  );
}
