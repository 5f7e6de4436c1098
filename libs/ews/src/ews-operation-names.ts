import { MESSAGES_NS } from './ews-namespaces';

/**
 * The operations of EWS, as Microsoft lists them (MicrosoftDocs/office-developer-exchange-docs
 * docs/web-service-reference/ews-operations-in-exchange.md): the vocabulary of the
 * unsupported-operation metric, so that its label stays a bounded set whatever a client sends.
 */
const EWS_OPERATIONS: ReadonlySet<string> = new Set([
  // eDiscovery
  'GetDiscoverySearchConfiguration',
  'GetHoldOnMailboxes',
  'GetNonIndexableItemDetails',
  'GetNonIndexableItemStatistics',
  'GetSearchableMailboxes',
  'SearchMailboxes',
  'SetHoldOnMailboxes',
  // mailbox data: items, folders, attachments, reminders, conversations, utilities
  'ArchiveItem',
  'CreateItem',
  'CopyItem',
  'DeleteItem',
  'FindItem',
  'GetItem',
  'MarkAllItemsAsRead',
  'MoveItem',
  'SendItem',
  'UpdateItem',
  'CreateFolder',
  'CreateFolderPath',
  'CreateManagedFolder',
  'CopyFolder',
  'DeleteFolder',
  'EmptyFolder',
  'FindFolder',
  'GetFolder',
  'MoveFolder',
  'UpdateFolder',
  'CreateAttachment',
  'GetAttachment',
  'DeleteAttachment',
  'GetReminders',
  'PerformReminderAction',
  'ApplyConversationAction',
  'FindConversation',
  'GetConversationItems',
  'ConvertId',
  'ExpandDL',
  'GetUserPhoto',
  'MarkAsJunk',
  'ResolveNames',
  'GetPasswordExpirationDate',
  // availability
  'GetUserAvailability',
  'GetRoomLists',
  'GetRooms',
  'GetUserOofSettings',
  'SetUserOofSettings',
  // bulk transfer
  'UploadItems',
  'ExportItems',
  // delegates
  'AddDelegate',
  'GetDelegate',
  'UpdateDelegate',
  'RemoveDelegate',
  // Inbox rules
  'GetInboxRules',
  'UpdateInboxRules',
  // mail apps
  'DisableApp',
  'GetAppManifests',
  'GetAppMarketplaceUrl',
  'GetClientAccessToken',
  'InstallApp',
  'UninstallApp',
  // mail tips, message tracking
  'GetMailTips',
  'FindMessageTrackingReport',
  'GetMessageTrackingReport',
  // notifications
  'GetEvents',
  'GetStreamingEvents',
  'Subscribe',
  'Unsubscribe',
  // personas, retention, service configuration
  'FindPeople',
  'GetPersona',
  'GetUserRetentionPolicyTags',
  'GetServiceConfiguration',
  // sharing
  'GetSharingFolder',
  'GetSharingMetadata',
  'RefreshSharingFolder',
  // synchronization, time zones
  'SyncFolderHierarchy',
  'SyncFolderItems',
  'GetServerTimeZones',
  // Unified Messaging
  'DisconnectPhoneCall',
  'GetPhoneCallInformation',
  'PlayOnPhone',
  // Unified Contact Store
  'AddNewImContactToGroup',
  'AddImContactToGroup',
  'AddImGroup',
  'AddNewTelUriContactToGroup',
  'AddDistributionGroupToImList',
  'GetImItemList',
  'GetImItems',
  'RemoveContactFromImList',
  'RemoveImContactFromGroup',
  'RemoveDistributionGroupFromImList',
  'RemoveImGroup',
  'SetImGroup',
  // user configuration
  'CreateUserConfiguration',
  'DeleteUserConfiguration',
  'GetUserConfiguration',
  'UpdateUserConfiguration',
]);

/**
 * The metric label of a SOAP body element the relay does not answer: its EWS operation name
 * (GetUserOofSettingsRequest is GetUserOofSettings), or `unknown` for anything else, so a client
 * cannot grow a series per made-up name. The log line names the element as sent.
 */
export function ewsOperationLabel(ns: string, local: string): string {
  if (ns !== MESSAGES_NS) return 'unknown';
  if (EWS_OPERATIONS.has(local)) return local;
  const bare = local.endsWith('Request') ? local.slice(0, -'Request'.length) : '';
  return EWS_OPERATIONS.has(bare) ? bare : 'unknown';
}
