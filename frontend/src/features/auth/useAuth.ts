import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { Credentials, NewAccount, User } from "../../api/types";

/** The logged-in user; `data` is null when nobody is logged in. */
export function useCurrentUser() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: api.auth.me,
    staleTime: 5 * 60_000,
  });
}

/** Forget everything cached for the previous user, then remember the new one (or none). */
function switchUser(queryClient: ReturnType<typeof useQueryClient>, user: User | null) {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== "me" });
  queryClient.setQueryData(queryKeys.me, user);
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) => api.auth.login(credentials),
    onSuccess: (user) => switchUser(queryClient, user),
  });
}

/** Whether this site lets anyone register, invitees only, or nobody. */
export function useRegistration() {
  return useQuery({ queryKey: queryKeys.registration, queryFn: api.auth.registration, staleTime: 5 * 60_000 });
}

/** Create the account, then log straight in with the same credentials. */
export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (account: NewAccount) => {
      await api.auth.register(account);
      return api.auth.login({ email: account.email, password: account.password });
    },
    onSuccess: (user) => switchUser(queryClient, user),
  });
}

/** `leave` runs first (e.g. navigate to /login), so that no protected page redirects on its own. */
export function useLogout(leave?: () => void | Promise<void>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.auth.logout(),
    // Even if the request fails (server gone), the user asked to leave: drop the local state.
    onSettled: async () => {
      await leave?.();
      switchUser(queryClient, null);
    },
  });
}
