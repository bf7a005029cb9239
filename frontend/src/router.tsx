import { createBrowserRouter } from "react-router";
import { RequireAuth } from "./components/RequireAuth";
import { HistoryPage } from "./pages/HistoryPage";
import { JobPage } from "./pages/JobPage";
import { LoginPage } from "./pages/LoginPage";
import { NewDepthPage } from "./pages/NewDepthPage";
import { NewHeatmapPage } from "./pages/NewHeatmapPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { RegisterPage } from "./pages/RegisterPage";

export const routes = [
  { path: "/login", element: <LoginPage /> },
  { path: "/register", element: <RegisterPage /> },
  {
    element: <RequireAuth />,
    children: [
      { path: "/", element: <HistoryPage /> },
      { path: "/new/heatmap", element: <NewHeatmapPage /> },
      { path: "/new/depth", element: <NewDepthPage /> },
      { path: "/jobs/:jobId", element: <JobPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
