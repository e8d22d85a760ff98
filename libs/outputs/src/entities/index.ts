import { CollectGrantEntity } from '../collecting/collect-grant.entity';
import { OutputCollectionEntity } from '../collecting/output-collection.entity';
import { OutputListingEntity } from '../collecting/output-listing.entity';
import { OutputCommentEntity } from './output-comment.entity';
import { OutputDownloadLinkEntity } from './output-download-link.entity';
import { OutputFileEntity } from './output-file.entity';
import { OutputLedgerTableEntity } from './output-ledger-table.entity';
import { OutputReleaseEntity } from './output-release.entity';
import { OutputRequestEntity } from './output-request.entity';
import { OutputReviewEntity } from './output-review.entity';

export const OUTPUT_ENTITIES = [
  OutputRequestEntity,
  OutputFileEntity,
  OutputReviewEntity,
  OutputCommentEntity,
  OutputReleaseEntity,
  OutputLedgerTableEntity,
  OutputDownloadLinkEntity,
  CollectGrantEntity,
  OutputCollectionEntity,
  OutputListingEntity,
];

export {
  OutputCommentEntity,
  OutputDownloadLinkEntity,
  OutputFileEntity,
  OutputLedgerTableEntity,
  OutputReleaseEntity,
  OutputRequestEntity,
  OutputReviewEntity,
};
