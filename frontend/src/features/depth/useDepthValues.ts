import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { decodeDepth16 } from "./depthValues";

/** A depth item's `<stem>_depth.json` and its 16-bit PNG decoded at full precision; idle without both URLs. */
export function useDepthValues(metadataUrl: string | undefined, png16Url: string | undefined) {
  return useQuery({
    queryKey: queryKeys.depthValues(metadataUrl ?? "", png16Url ?? ""),
    enabled: !!metadataUrl && !!png16Url,
    staleTime: Infinity, // the files of a finished item never change
    queryFn: async () => {
      const [metadata, png] = await Promise.all([api.jobs.depthMetadata(metadataUrl!), api.jobs.fileBytes(png16Url!)]);
      return { metadata, raster: decodeDepth16(png) };
    },
  });
}
