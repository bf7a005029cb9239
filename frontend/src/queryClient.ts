import { QueryClient } from "@tanstack/react-query";
import { ApiError, setUnauthorizedHandler } from "./api/client";
import { queryKeys } from "./api/queryKeys";

export function createQueryClient(): QueryClient {
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: {
        // 4xx answers won't change by asking again; network trouble and 5xx might.
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
        staleTime: 5_000,
      },
      mutations: { retry: false },
    },
  });
  // The session ended (expired cookie, logged out elsewhere): forget the user; RequireAuth sends them to /login.
  setUnauthorizedHandler(() => {
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== "me" });
    queryClient.setQueryData(queryKeys.me, null);
  });
  return queryClient;
}
