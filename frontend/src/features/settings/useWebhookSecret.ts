import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";

/** The webhook secret, asked for only once `enabled` (the server makes it on the first ask). */
export function useWebhookSecret(enabled: boolean) {
  return useQuery({ queryKey: queryKeys.webhookSecret, queryFn: api.auth.webhookSecret, enabled, staleTime: Infinity });
}

export function useRotateWebhookSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.auth.rotateWebhookSecret(),
    onSuccess: (secret) => queryClient.setQueryData(queryKeys.webhookSecret, secret),
  });
}
