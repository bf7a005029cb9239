import { createBrowserRouter, Navigate, useLocation } from "react-router";
import { ComparePage } from "./features/compare/ComparePage";
import { JobResult } from "./app/JobResult";
import { RequireAuth } from "./app/RequireAuth";
import { HistoryPage } from "./features/jobs/HistoryPage";
import { JobPage } from "./features/jobs/JobPage";
import { LoginPage } from "./features/auth/LoginPage";
import { NewDepthPage } from "./features/depth/NewDepthPage";
import { NewHeatmapPage } from "./features/heatmap/NewHeatmapPage";
import { NotFoundPage } from "./app/NotFoundPage";
import { RegisterPage } from "./features/auth/RegisterPage";
import { SettingsPage } from "./features/settings/SettingsPage";

/** `/jobs` is the history (job pages live at `/jobs/<id>`): the same page at its one address, filters kept. */
function JobsToHistory() {
  const { search } = useLocation();
  return <Navigate to={{ pathname: "/", search }} replace />;
}

export const routes = [
  { path: "/login", element: <LoginPage /> },
  { path: "/register", element: <RegisterPage /> },
  {
    element: <RequireAuth />,
    children: [
      { path: "/", element: <HistoryPage /> },
      { path: "/new/heatmap", element: <NewHeatmapPage /> },
      { path: "/new/depth", element: <NewDepthPage /> },
      { path: "/jobs", element: <JobsToHistory /> },
      { path: "/jobs/:jobId", element: <JobPage Result={JobResult} /> },
      { path: "/compare", element: <ComparePage /> },
      { path: "/settings", element: <SettingsPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
