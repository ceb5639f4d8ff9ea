/**
 * Messages of Đồng bộ CSDL (issue 13, server/sync/ and the receiving service): why a student is not ready, why a
 * batch cannot be built or sent, why a packet is refused. Kept beside i18n.ts, which spreads them into its table.
 */
export const SYNC_MESSAGES = {
  syncNoTranscript: { vi: 'Chưa lập học bạ năm học này.', en: 'No transcript opened for this school year.' },
  syncMissingSignatures: { vi: 'Học bạ chưa được đóng dấu, còn thiếu chữ ký: {missing}.', en: 'The transcript is not sealed; signatures still missing: {missing}.' },
  syncNothingToSend: {
    vi: 'Không có học bạ nào cần gửi: {notReady} học sinh chưa sẵn sàng (học bạ chưa đóng dấu), {upToDate} học sinh đã được tiếp nhận.',
    en: 'Nothing to send: {notReady} student(s) not ready (transcript not sealed), {upToDate} already accepted.',
  },
  syncNoEndpoint: {
    vi: 'Chưa cấu hình địa chỉ nhận dữ liệu (SYNC_ENDPOINT) nên không gửi qua mạng được: hãy chọn "Xuất tệp ZIP" rồi tải lên cổng của Sở/Bộ.',
    en: 'No receiving address is configured (SYNC_ENDPOINT), so nothing can be sent over the network: choose "Export ZIP" and upload it to the province or ministry portal.',
  },
  syncConcurrentBatch: {
    vi: 'Một đợt đồng bộ khác của năm học này vừa được lập cùng lúc nên đợt này không được lập. Hãy tải lại trang, xem trạng thái học sinh rồi lập lại nếu còn học bạ cần gửi.',
    en: 'Another sync batch of this school year was built at the same moment, so this one was not. Reload the page, check the students’ statuses and build again if anything is left to send.',
  },
  syncReceiptNotFile: {
    vi: 'Đợt này gửi qua mạng: kết quả do nơi nhận trả về, không ghi nhận bằng tay.',
    en: 'This batch went over the network: its answer comes from the receiver, not recorded by hand.',
  },
  syncReceiptNotSent: {
    vi: 'Chỉ ghi nhận kết quả cho đợt xuất tệp ZIP đã tải về để nộp lên cổng và chưa ghi nhận kết quả.',
    en: 'Results are recorded only for a ZIP batch that was downloaded for the portal and has no result yet.',
  },
  syncReceiptStranger: { vi: 'Học sinh (mã {id}) không có trong đợt này.', en: 'Student (id {id}) is not in this batch.' },
  syncNotHttp: { vi: 'Đợt này là đợt xuất tệp ZIP, không gửi qua mạng: hãy tải tệp ZIP.', en: 'This batch is a ZIP export, not sent over the network: download the ZIP.' },
  syncSending: { vi: 'Đợt này đang được gửi, hãy đợi kết quả.', en: 'This batch is being sent; wait for the answer.' },
  syncPacketChanged: {
    vi: 'Dữ liệu học bạ của đợt #{id} đã bị thay đổi so với lúc lập đợt (học bạ đã đóng dấu không thể sửa): không gửi. Hãy báo quản trị kiểm tra cơ sở dữ liệu, rồi lập đợt mới.',
    en: 'The transcripts of batch #{id} changed since it was built (sealed transcripts cannot change): not sent. Have the administrator check the database, then build a new batch.',
  },
  syncNotSameSchool: { vi: 'Năm học này không thuộc trường bạn đang làm việc.', en: 'This school year is not of the school you are working in.' },
  'sync.badManifest': { vi: 'Bản kê (manifest.xml) của gói không hợp lệ: {detail}.', en: 'The packet’s manifest (manifest.xml) is invalid: {detail}.' },
  'sync.zipTooLarge': { vi: 'Tệp trong gói quá lớn khi giải nén (tối đa {max} mỗi tệp).', en: 'A file in the packet is too large once unpacked ({max} per file at most).' },
  'sync.zipTooManyEntries': { vi: 'Gói có quá nhiều tệp (tối đa {max}).', en: 'The packet has too many files ({max} at most).' },
  'sync.zipBadName': { vi: 'Tên tệp trong gói không hợp lệ hoặc bị trùng: {name}.', en: 'A file name in the packet is invalid or repeated: {name}.' },
  'sync.zipCorrupt': { vi: 'Tệp ZIP của gói bị hỏng: {detail}.', en: 'The packet’s ZIP is damaged: {detail}.' },
} as const;
