/** Opt-out lists: stored apart from the sources, applied by the extract as an in-memory membership test. */
export * from './optout.types';
export { optOutListsFor, OPT_OUT_LEGAL_BASES } from './optout-policy';
export {
  OPT_OUT_FILE_HEADER,
  MAX_REPORTED_PROBLEMS,
  type OptOutFileProblem,
  type OptOutFileResult,
  parseOptOutFile,
  describeProblems,
} from './optout-file';
export { OptOutListVersionEntity, OptOutEntryEntity, OPT_OUT_ENTITIES } from './optout.entities';
export { OptOutService } from './optout.service';
