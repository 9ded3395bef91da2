# 服务器产生的消息（错误、提示、邮件）。模板中的文字在 ui.ftl。

error-validation = 有字段需要修改。
error-unauthorized = 请先登录。
error-login-failed = 邮箱或密码错误。
error-login-throttled = 登录失败次数过多，请 { $minutes } 分钟后再试。
error-forbidden = 您没有执行此操作的权限。
error-csrf = 表单已过期，请刷新页面后重试。
error-not-found = 找不到该页面或记录。
error-too-large = 请求内容过大。
error-media-type = 请以 JSON 格式发送请求体（Content-Type: application/json）。
error-internal = 服务器出现问题，请重试；如果问题持续，请联系管理员。
error-conflict-unique = 已存在相同取值的记录。
error-constraint = 此更改与相关记录冲突。
error-form = 无法读取表单，请刷新页面后重试。
error-body = 无法读取请求内容。
error-unknown-field = 未知字段（{ $detail }）。
error-json-type = 取值类型错误（{ $detail }）。
error-required = 此项为必填项。
error-too-long = 最多 { $max } 个字符。
error-email = 请输入有效的邮箱地址，例如 name@example.com。
error-password-short = 密码至少 { $min } 个字符。
error-password-wrong = 当前密码不正确。
error-password-mismatch = 两次输入的密码不一致。
error-id = 请从列表中选择。
error-party-kind = 请选择供应商或客户。
error-party-kind-fixed = 参与方类型创建后不可更改。
error-party-unknown = 请选择您可以管理的参与方。
error-party-name-taken = 已有同名的参与方。
error-role = 请从列表中选择角色。
error-role-for-kind = 该参与方的用户不能使用此角色。
error-time-zone = 请从列表中选择时区。
error-credit-code = 请输入有效的 18 位统一社会信用代码。
error-locale = 请选择中文（zh-CN）或英文（en）。
error-email-taken = 已有使用此邮箱的用户。
error-invite-not-pending = 该用户没有待接受的邀请。
error-deactivate-self = 不能停用自己的账号。
error-last-admin = 必须至少保留一名启用的管理员。
error-url = 请输入以 http:// 或 https:// 开头的网址。
error-contact-reach = 请填写邮箱或电话。
error-limit = 每页数量须在 1 到 { $max } 之间。
error-cursor = 分页游标无效，请从第一页重新开始。

error-title-401 = 需要登录
error-title-403 = 没有权限
error-title-404 = 未找到
error-title-409 = 冲突
error-title-413 = 内容过大
error-title-415 = 格式不支持
error-title-422 = 请检查输入
error-title-429 = 尝试次数过多
error-title-500 = 出现错误

flash-signed-out = 您已退出登录。
flash-setup-done = Accord 已设置完成，欢迎使用！
flash-invite-accepted = 密码已设置，欢迎使用 Accord！
flash-preferences-saved = 偏好设置已保存。
flash-password-changed = 密码已修改，其他设备已退出登录。
flash-token-revoked = 令牌已撤销，无法再使用。
flash-party-created = 已创建参与方“{ $name }”。
flash-party-saved = 已保存参与方“{ $name }”。
flash-contact-added = 已添加联系人 { $name }。
flash-contact-removed = 已删除联系人。
flash-user-created = 已创建用户 { $email }。
flash-user-invited = 已向 { $email } 发送邀请。
flash-user-saved = 已保存用户 { $email }。
flash-user-deactivated = 已停用 { $email } 并使其退出登录。
flash-user-reactivated = 已重新启用 { $email }。
flash-invite-resent = 新的邀请已发送。

invite-email-subject = { $inviter } 邀请您加入 Accord（{ $party }）
invite-email-body =
    { $name }，您好：

    { $inviter } 邀请您以 { $party } 的身份在 Accord 中协作。
    请通过以下链接设置密码（{ $days } 天内有效）：

    { $link }

    如果您并未期待此邀请，请忽略本邮件。

# Audit log labels
audit-action-api-token-create = 创建 API 令牌
audit-action-api-token-revoke = 撤销 API 令牌
audit-action-dev-seed-users = 导入测试用户
audit-action-dev-seed-vendors = 导入带交付数据的测试供应商
audit-action-party-contact-add = 添加联系人
audit-action-party-contact-remove = 删除联系人
audit-action-party-create = 创建参与方
audit-action-party-update = 编辑参与方
audit-action-user-accept-invitation = 接受邀请
audit-action-user-create = 创建用户
audit-action-user-deactivate = 停用用户
audit-action-user-invite = 发送邀请
audit-action-user-login = 登录
audit-action-user-password-change = 修改密码
audit-action-user-reactivate = 重新启用用户
audit-action-user-update = 编辑用户
audit-entity-api-token = API 令牌
audit-entity-party = 参与方
audit-entity-user = 用户
audit-actor-system = 系统
error-party-identity = 只有主办方管理员可以修改参与方的名称、法定名称或信用代码。
error-email-unavailable = 此邮箱无法在此使用，请联系主办方管理员。
error-demo-real-data = 此数据库已有真实账号，不会向其中添加使用公开密码的演示账号。

# Engagements
error-engagement-kind = 请从列表中选择项目类型。
error-engagement-state = 请从列表中选择状态。
error-health = 请选择正常、有风险或严重。
error-relation = 请选择客户、供应商、分包商或监理。
error-visibility = 请选择仅主办方、指定参与方或全部参与方。
error-status = 请从列表中选择状态。
error-date = 请按 YYYY-MM-DD 格式输入日期。
error-code = 只能使用字母、数字、- 和 _。
error-code-taken = 已有项目使用此编号。
error-code-fixed = 项目编号创建后不可更改。
error-owner = 请选择主办方的在职项目经理或管理员。
error-end-before-start = 结束日期不能早于开始日期。
error-task-scheduling = 排程方式必须是"自动"或"手动"。
error-state-on-create = 新项目总是从立项开始。
error-transition = 项目不能从 { $from } 变为 { $to }。
error-participant-host = 主办方已参与所有项目。
error-relation-kind = 该关系与参与方类型不符（客户只能是客户；供应商负责交付或分包）。
error-participant-exists = 该参与方已在项目中。
error-participant-in-use = 仍有里程碑或任务引用该参与方，请先修改它们。
error-visible-party = 请为此可见范围选择一个参与方。
error-party-not-participant = 请选择主办方或项目参与方。
error-assignee = 请选择主办方或项目参与方的在职用户。
error-parent = 请选择本项目的任务。
error-percent = 请输入 0 到 100 之间的整数。
flash-engagement-created = 已创建项目 { $code }。
flash-engagement-saved = 已保存项目 { $code }。
flash-engagement-moved = 项目状态已变为：{ $state }。
flash-participant-added = 已将参与方加入项目。
flash-participant-removed = 已将参与方移出项目。
flash-milestone-added = 已添加里程碑“{ $name }”。
flash-task-added = 已添加任务“{ $name }”。
flash-task-saved = 已更新任务“{ $name }”。
audit-action-engagement-create = 创建项目
audit-action-engagement-update = 编辑项目
audit-action-engagement-transition = 变更项目状态
audit-action-engagement-archive = 归档项目
audit-action-engagement-participant-add = 添加项目参与方
audit-action-engagement-participant-remove = 移除项目参与方
audit-action-milestone-create = 添加里程碑
audit-action-task-create = 添加任务
audit-action-task-update = 更新任务
audit-entity-engagement = 项目
audit-entity-milestone = 里程碑
audit-entity-task = 任务

# Plan
gantt-empty = 尚无计划内容。
gantt-legend-critical = 关键路径
gantt-legend-today = 今天
gantt-names = 任务
flash-dependency-added = 已添加依赖。
flash-task-planned = 已重新安排"{ $name }"，其后续任务随之移动。
task-plan-title = 安排任务
task-plan-intro = 拖动任务条可移动任务，拖动其右端可改变工期，拖到另一任务条上可建立依赖，双击可在此处打开。键盘操作：聚焦任务条后，← → 移动一天，Shift+← → 改变工期，回车在此处打开。
field-task = 任务
field-scheduling = 排程方式
scheduling-auto = 自动（不早于输入的开始日期）
scheduling-manual = 手动（保持在设定的位置）
help-scheduling = 自动排程的任务会在前置任务要求更晚开始时移动；手动排程的任务保持不动，与前置任务冲突时会标出。
action-save-task-plan = 保存并重新排程
gantt-drag-failed = 更改未保存。
flash-rescheduled = 已重新排程：{ $moved } 个任务调整了日期。
error-dependency-self = 任务不能依赖自身。
error-dependency-type = 请选择 FS、SS、FF 或 SF。
error-lag = 间隔须在 -365 到 365 个工作日之间。
error-working-days = 请填写 -3650 到 3650 之间的整数工作日。
error-dependency-exists = 这两个任务已建立依赖。
error-dependency-cycle = 该依赖会使计划形成循环。
audit-action-dependency-create = 建立任务依赖
audit-action-engagement-reschedule = 项目重新排程
gantt-legend-baseline = 基线
gantt-legend-moved = 自动排程移动
gantt-legend-manual = 手动排程
gantt-moved = 自动排程移动了 { $days } 个工作日
gantt-conflict = 手动排程：其前置任务现在要求它更晚开始
flash-baseline-saved = 已保存基线“{ $name }”。
audit-action-baseline-create = 保存基线
error-milestone = 请选择本项目的里程碑。
error-criteria-count = 最多 { $max } 条标准。
error-criterion-long = 第 { $line } 条标准超过 500 个字符。
flash-deliverable-added = 已添加交付物“{ $name }”。
audit-action-deliverable-create = 添加交付物
audit-entity-deliverable = 交付物
error-member-role = 请选择项目经理或成员。
error-member-pm-host = 只有主办方人员可以管理项目。
error-member-exists = 此人已是项目成员。
flash-member-added = 已加入项目成员。
flash-member-removed = 已移出项目成员。
audit-action-engagement-member-add = 添加项目成员
audit-action-engagement-member-remove = 移除项目成员
audit-action-engagement-calendar-set = 调整工作日历
audit-action-engagement-calendar-remove = 删除日历例外
flash-calendar-saved = 已更新工作日历。
flash-calendar-removed = 已删除日历例外。

# Collaboration, documents, dashboards
audit-action-comment-create = 发表评论
audit-action-document-create = 上传文档
audit-action-document-version = 上传文档新版本
audit-action-milestone-update = 更新里程碑
audit-entity-comment = 评论
audit-entity-document = 文档
action-comment = 发表评论
action-download = 下载
action-mark-achieved = 标记为已达成
action-mark-missed = 标记为未达成
action-mark-planned = 恢复为计划中
action-mark-all-read = 全部标为已读
action-new-version = 上传新版本
action-older = 更早
action-upload = 上传
activity-title = 动态
activity-created = 创建了
activity-updated = 更新了
activity-progress = 汇报了进度：
activity-commented = 评论了
activity-document_added = 上传了文档到
activity-document_version = 上传了新版本到
activity-achieved = 标记已达成：
activity-missed = 标记未达成：
activity-rescheduled = 重新排程了
col-record = 所属记录
col-size = 大小
col-updated = 更新时间
col-uploaded-by = 上传人
col-version = 版本
comment-added = 评论已发表。
comment-author-hidden = 其他参与方人员
comments-title = 评论
document-area = 项目文档区
document-open-record = 查看记录
document-uploaded = 已上传“{ $name }”。
document-version-added = 已上传第 { $version } 版。
document-versions = 版本
documents-title = 文档
empty-activity = 暂无动态。
empty-comments = 暂无评论，在下方发起讨论。
empty-documents = 暂无文档。
empty-notifications = 没有新的通知。
error-document-visibility = 该可见范围比所属记录更宽，或会使你所在的参与方看不到此文件。
error-file-empty = 文件为空。
error-file-mismatch = 文件扩展名与实际内容格式不符，请改名或上传正确的文件。
error-file-too-large = 文件超过 { $max } MB。
error-file-type = 不接受此类文件（可上传 PDF、图片、Office 文档、ZIP 和文本文件）。
error-subject = 请选择本项目的里程碑、交付物或任务。
field-comment = 评论
field-document-name = 名称
field-file = 文件
flash-milestone-saved = 已保存里程碑“{ $name }”。
help-comment-mentions = 输入 @ 加姓名或邮箱，通知能看到此记录的人。
help-upload-limit = 不超过 { $max } MB。支持 PDF、图片、Office 文档、ZIP、文本。
nav-notifications = 通知
notifications-all-read = 已将全部通知标为已读。
notifications-show-all = 显示全部
notifications-show-unread = 仅看未读
notifications-unread-count = { $count } 条未读
notification-kind-assignment = 指派
notification-kind-mention = 提及
notification-kind-due_soon = 即将到期
notification-kind-overdue = 已逾期
placeholder-document-name = 默认使用文件名
record-details = 详情
record-kind-milestone = 里程碑
record-kind-deliverable = 交付物
record-kind-task = 任务
tab-activity = 动态
tab-documents = 文档
visibility-default = 与所属记录相同
dashboard-overdue = 已逾期
dashboard-due-soon = 3 天内到期
dashboard-tasks-done = 已完成任务
dashboard-milestones = 里程碑时间线
dashboard-recent = 最近动态
dashboard-all-activity = 全部动态
empty-attention = 没有逾期或即将到期的事项。
dashboard-awaiting = 待签署或待决定
dashboard-awaiting-badge = 待处理
due-kind-task = 任务
due-kind-milestone = 里程碑
due-kind-deliverable = 交付物
due-kind-obligation = 合同义务
due-kind-installment = 付款节点
due-kind-review = 需求评审
due-kind-contract-review = 合同审核
due-kind-contract-signature = 合同签署
due-kind-requirements-signature = 需求签署
due-kind-acceptance-result = 验收结论
due-kind-acceptance-signature = 验收签署
health-auto = 根据计划自动判定
portfolio-total = 项目数
portfolio-running = 进行中
filter-health = 健康度
visibility-default-host = 默认：仅主办方
visibility-default-party = 默认：主办方与本方
filter-all-health = 全部健康度

## Requirements
record-kind-requirement = 需求
flash-requirement-added = 已添加需求 { $key }。
flash-requirement-saved = 已保存需求 { $key }。
flash-version-frozen = 已冻结版本 { $number }，各方现在可以签署。
flash-version-signed = 已代表贵方签署。
error-requirement-kind = 请选择功能、非功能、接口、数据或约束。
error-priority = 请选择必须有、应该有、可以有或本期不做。
error-requirement-status = 请选择草稿、评审中、已批准、已变更或已废弃。
error-requirement-parent = 请选择本项目中的需求。
error-requirement-cycle = 需求不能挂在自己或自己的下级之下。
error-requirement-locked = { $key } 已包含在签署版本中，请提交变更申请后再修改。
error-version-empty = 没有可冻结的内容：没有对所有参与方共享的需求。
error-version-unchanged = 与版本 { $number } 相比没有变化。
error-version-superseded = 版本 { $number } 已被新版本取代，请签署最新版本。
error-version-tampered = 存储的内容与其哈希值不一致，无法签署。
error-version-signed-already = 贵方已签署此版本。
error-signing-password = 密码不正确。
flash-link-added = 已关联。
flash-link-removed = 已取消关联。
error-link-kind = 请选择任务或交付物。
error-link-record = 请选择本项目中的任务或交付物。
error-link-exists = 二者已经关联。

# Change control
error-affected-task = 请选择本项目中你可见的任务。
error-amount = 请输入金额，例如 12000 或 12,000.50。
error-amount-decimals = 最多保留两位小数。
error-amount-range = 金额过大。
error-amount-negative = 限额不能为负数。
error-board-member = 变更委员会成员须为主办方或参与方的在职人员。
error-board-size = 委员会成员最多 { $max } 人。
error-change-decided = { $key } 已有决定。
error-change-voted = 你已在本轮对该变更作出决定。
error-change-voting = { $key } 已开始表决，影响与范围不能再修改。
error-currency = 请使用三位字母币种代码，例如 CNY。
error-delta-days = 请填写 -{ $max } 到 { $max } 之间的工作日数。
error-host-only = 只有主办方可以填写内部备注。
error-integer = 请输入整数。
error-range = 请填写 { $min } 到 { $max } 之间的数字。
error-revisit-future = 重议日期须晚于今天。
error-scope-duplicate = 该需求已在本变更的范围中。
error-scope-requirement = 请选择本项目中未作废的共享需求。
error-visibility-raise = 变更只能对本方或全体参与方可见。
error-decision = 请选择批准、驳回或暂缓。
error-scope-action = 请选择新增、修改或删除。
flash-board-saved = 变更委员会已保存。
flash-change-raised = 已提交变更申请 { $key }。
flash-decision-recorded = 决定已记录。
flash-impact-saved = 影响评估已保存。
flash-scope-added = 已添加范围条目。
flash-scope-removed = 已移除范围条目。
notification-kind-change_raised = 新变更
notification-kind-change_decided = 变更已决定
notification-kind-change_returned = 变更待重议
activity-raised = 提交了变更
activity-assessed = 评估了影响：
activity-approved = 批准了
activity-rejected = 驳回了
activity-deferred = 暂缓了
activity-voted = 表决了
activity-returned = 重新待决：

# Requirement reviews
error-deadline-past = 截止日期不能早于今天。
error-review-closed = 该评审轮次已关闭。
error-review-item = 请选择本轮评审中的条目。
error-review-outcome = 请选择"通过"或"需修改"。
error-review-vote = 请选择"通过"或"需修改"。
flash-review-opened = 评审已发起，已通知评审人。
flash-review-comment = 已添加评审意见。
flash-review-voted = 已记录投票。
flash-review-closed = 评审已关闭。
notification-kind-review_requested = 邀请评审
notification-kind-review_due = 评审即将截止
activity-review_opened = 发起了评审
activity-review_closed = 关闭了评审
activity-voted_review = 在评审中投票
review-reminder-subject = 评审将于 { $deadline } 截止：{ $title }
review-reminder-body =
    评审"{ $title }"将于 { $deadline } 截止，你尚未投票。

    { $link }

# Contracts
error-contract-state = 请选择合同状态。
error-clause-kind = 请选择条款类型。
error-installment-kind = 请选择预付款、进度款、尾款或质保金。
error-trigger-kind = 请选择日期、验收或质保期满。
error-acceptance-stage = 请选择初验或终验。
error-acceptance-outcome = 请选择通过、有条件通过或不通过。
error-severity = 请选择严重、一般或轻微。
error-rating = 请选择正常、需关注或有风险。
error-signatory-party = 请选择对方单位的用户。
error-host-user = 请选择本单位的在用用户。
error-contract-number-taken = 已有合同使用该编号。
error-counterparty = 请选择供应商或客户。
error-contract-engagements = 请至少选择一个合同涵盖的项目。
error-engagement-managed = 请选择由你负责的项目。
error-counterparty-not-participant = 合同对方必须参与合同涵盖的每个项目。
error-currency-mismatch = 请使用合同币种 { $currency }。
error-tax-rate = 请填写 0 到 100 之间的增值税税率。
error-contract-locked = { $number } 的工作稿已锁定：请先提交、撤回送审版本，或发起补充协议。
error-contract-transition = 合同不能从 { $from } 变为 { $to }。
error-termination-reason = 请说明终止合同的原因。
error-contract-open-installments = 还有 { $count } 期款项既未付清也未取消。
error-contract-no-clauses = 提交前请至少添加一条条款。
error-contract-not-in-review = 该合同没有待审核的版本。
error-contract-reviewed-already = 你已审核过该版本。
error-contract-awaiting-review = 版本须先通过法务和财务审核，才能签署。
error-contract-nothing-to-sign = 没有可签署的版本，请先提交工作稿。
error-contract-not-in-force = { $number } 尚未签署或未生效。
error-return-comment = 请说明版本需要修改的地方。
error-amendment-change = 请选择该合同所涉项目中已批准的变更请求。
error-amendment-not-in-force = 只有已签署生效的合同才能签订补充协议（{ $number }）。
error-amendment-open = { $number } 已有进行中的补充协议。
error-clause-template = 请从条款库中选择模板。
error-clauses-count = 一份合同最多 { $max } 条条款。
error-contract-deliverable = 请选择合同所涉项目中、对方可见的交付物。
error-contract-milestone = 请选择合同所涉项目中、对方可见的里程碑。
error-warranty-months = 请填写 1 到 { $max } 个月。
error-warranty-clause-only = 质保月数只能填在质保条款上。
error-owed-by = 请选择本单位或合同对方。
error-obligation-date = 义务需要到期日。
error-amount-or-percent = 请填写金额或比例，二选一。
error-amount-positive = 金额必须大于零。
error-amount-exceeds = 最多还剩 { $left }。
error-schedule-exceeds = 付款计划将超过合同总额，还剩 { $left }。
error-total-below-schedule = 已排期的款项合计 { $scheduled }。
error-trigger-target = 请选择交付物或里程碑，二选一。
error-no-warranty = 该交付物没有质保期，请先设置质保月数或添加质保条款。
error-installment-not-due = 该期款项尚未到期：触发条件达成后自动到期，或经审批人特批。
error-installment-state = 该期款项状态为 { $state }，不能执行此操作。
error-installments-count = 付款计划最多 { $max } 期。
error-document = 请选择合同所涉项目中的文档。
error-date-future = 日期不能晚于今天。
error-direction = 请选择应付或应收。
notification-kind-contract_review = 合同待审核
notification-kind-contract_reviewed = 合同已审核
notification-kind-contract_signed = 合同已签署
notification-kind-contract_expiring = 合同即将到期
notification-kind-contract_checkup_due = 合同定期评审
notification-kind-obligation_due = 合同义务即将到期
notification-kind-obligation_overdue = 合同义务已逾期
notification-kind-installment_due = 款项到期
record-kind-contract = 合同
activity-submitted = 提交了
activity-signed = 签署了
obligation-due-subject = { $due } 到期：{ $title }（{ $number }）
obligation-due-body =
    合同 { $number } 中的"{ $title }"将于 { $due } 到期。

    { $link }
obligation-overdue-subject = 已逾期（{ $due }）：{ $title }（{ $number }）
obligation-overdue-body =
    合同 { $number } 中的"{ $title }"应于 { $due } 完成，目前仍未完成。

    { $link }
contract-expiring-subject = 合同 { $number } 将于 { $due } 到期
contract-expiring-body =
    合同 { $number }（"{ $title }"）将于 { $due } 到期，请决定是否续签。

    { $link }
contract-checkup-subject = 合同 { $number } 定期评审将于 { $due } 到期
contract-checkup-body =
    合同 { $number }（"{ $title }"）的定期评审应于 { $due } 进行。

    { $link }

# Acceptance
error-acceptance-open = 该交付物已有进行中的验收轮次。
error-acceptance-done = 该交付物已通过 { $stage } 验收。
error-acceptance-no-criteria = 该交付物没有可检查的验收标准。
error-acceptance-decided = 本轮验收结论已记录。
error-acceptance-item = 不是本清单中的检查项。
error-acceptance-item-twice = 该检查项重复提交。
error-acceptance-items-missing = 还有 { $count } 个检查项没有结论。
error-acceptance-failed-items = 有 { $count } 项未通过：请选择不通过或有条件通过。
error-acceptance-nothing-failed = 没有未通过的检查项，请选择通过。
error-acceptance-undecided = 验收结论尚未记录。
error-acceptance-rejected-unsigned = 不通过的轮次不签署，请重新提交交付物。
error-check-items = 请至少添加一个检查项。
error-deliverable = 请选择本项目的交付物。
notification-kind-acceptance_submitted = 提交验收
notification-kind-acceptance_decided = 验收结论
notification-kind-acceptance_signed = 验收已生效
notification-kind-warranty_ending = 质保期即将届满
record-kind-acceptance = 验收
activity-decided = 记录了验收结论：
activity-accepted = 签署生效了
warranty-ending-subject = { $title } 的质保期将于 { $due } 届满
warranty-ending-body =
    "{ $title }"的质保期将于 { $due } 届满。

    { $link }
error-share = 请填写大于 0、不超过 100 的百分比，最多两位小数。

# Audit: contracts and acceptance
audit-action-contract-create = 起草合同
audit-action-contract-update = 编辑合同
audit-action-contract-clause-add = 添加合同条款
audit-action-contract-clause-remove = 删除合同条款
audit-action-contract-submit = 提交合同版本
audit-action-contract-withdraw = 撤回合同版本
audit-action-contract-review = 审核合同版本
audit-action-contract-sign = 签署合同
audit-action-contract-in-force = 合同版本生效
audit-action-contract-transition = 变更合同状态
audit-action-contract-amend = 发起补充协议
audit-action-contract-checkup = 记录合同定期评审
audit-action-obligation-create = 添加合同义务
audit-action-obligation-update = 更新合同义务
audit-action-installment-create = 添加付款计划
audit-action-installment-due = 款项到期
audit-action-installment-override = 特批款项提前到期
audit-action-installment-invoice = 登记发票
audit-action-installment-payment = 登记付款
audit-action-installment-cancel = 取消款项
audit-action-clause-template-create = 添加条款模板
audit-action-acceptance-submit = 提交验收
audit-action-acceptance-result = 记录验收结论
audit-action-acceptance-sign = 签署验收
audit-action-acceptance-in-force = 验收生效
audit-action-defect-create = 登记缺陷
audit-action-defect-update = 更新缺陷
audit-action-quality-check-create = 登记质量检查
audit-entity-contract = 合同
audit-entity-installment = 款项
audit-entity-acceptance = 验收
audit-entity-defect = 缺陷
audit-entity-quality-check = 质量检查
audit-entity-clause-template = 条款模板
error-installment-unsigned = 该期款项尚未进入已签署的版本，请先签署补充协议。
error-evidence = 请选择本项目中、所有能看到该交付物的人都能查看的文档。
error-amendment-none = { $number } 没有进行中的补充协议。
audit-action-contract-abandon-amendment = 放弃补充协议
audit-action-installment-reconcile = 补充协议生效后调整款项

## Vendors, selections, scorecards
error-credit-code-taken = 已有参与方使用此统一社会信用代码。
error-choice = “{ $value }”不是可选项。
error-bank-account = 最多 34 位字母和数字（空格和横线会被去掉）。
error-status-reason = 请说明状态变更的原因（至少 2 个字）。
error-vendor-status-move = 供应商不能从 { $from } 直接变为 { $to }。
error-stale = 这条记录刚被别人修改，请刷新页面后重试。
error-vendor-unknown = 没有这个供应商。
error-vendor-not-invitable = 该供应商状态为 { $status }，不能邀请或授标。
error-vendor-invited = 该供应商已被邀请。
error-selection-not-bidding = 本次比选的报价已截止。
error-evaluator-exists = 此人已是本次比选的评委。
error-evaluators-locked = 已开始评分或已定标，不能再添加评委。
error-bid-late = 报价已结束（已过截止时间或已提前截标），不再接受报价。
error-bid-first = 请先提交报价，再添加方案文件。
error-close-early = 所有受邀供应商都报价后才能提前截止（目前 { $invited } 家中 { $bids } 家已报价）。
error-no-bid = 该供应商没有提交报价。
error-criterion-unknown = “{ $value }”不是本次比选的评分项。
error-criterion-duplicate = 评分项重复。
error-score-missing = 请为“{ $criterion }”打分。
error-scoring-before-close = 报价截止后才开始评分（到截止时间，或提前截止）。
error-selection-decided = 本次比选已有结果。
error-ranking-bidding = 报价截止前，报价保密。
error-scores-sealed = 所有评委给所有报价打分后才公布排名（已收到 { $needed } 份中的 { $done } 份评分表）。
error-justification-short = 定标理由至少写 { $min } 个字。
error-award-engagement = 请选择中标方将参与的项目。
error-selection-criteria-count = 请设置 1 到 { $max } 个评分项。
error-weights-sum = 权重合计必须为 100（当前 { $sum }）。
error-deadline = 请填写日期和时间，例如 2026-12-20 18:00。
error-budget-range = 预算上限不能低于下限。
error-period = 请填写季度（如 2026Q3）或年份（如 2026）。
error-scorecard-empty = 本期还没有任何事实数据，无可发布。
error-grade-bands = 等级分数线须从 A 到 C 递减，例如 A 90、B 75、C 60。
flash-vendor-created = 供应商已登记。
flash-profile-saved = 资料已保存。
flash-bank-saved = 银行信息已保存。
flash-status-changed = 状态已变更。
flash-certificate-added = 资质证书已添加。
flash-selection-created = 比选已发起。
flash-vendor-invited = 已邀请供应商。
flash-evaluator-added = 已添加评委。
flash-bid-submitted = 报价已提交。
flash-bidding-closed = 报价已截止。
flash-scores-saved = 评分已保存。
flash-awarded = 已定标。中标方已加入项目，合同草稿已生成。
flash-selection-cancelled = 比选已取消。
flash-scorecard-published = 绩效评分卡已发布给供应商。
flash-evaluation-saved = 评价已保存。
flash-settings-saved = 评分卡设置已保存。
flash-criteria-template-added = 模板已添加。
selection-invited-subject = 报价邀请：{ $title }
selection-invited-body =
    诚邀贵司在 { $deadline } 前就“{ $title }”提交报价。

    查看邀请：{ $link }
selection-won-subject = 中标通知：{ $title }
selection-won-body =
    贵司就“{ $title }”的报价已中选，合同草稿随后发出。

    { $link }
selection-lost-subject = 比选结果：{ $title }
selection-lost-body =
    感谢贵司参与“{ $title }”的报价。本次已选定其他供应商。

    { $link }
selection-cancelled-subject = 比选取消：{ $title }
selection-cancelled-body =
    比选“{ $title }”已取消。

    { $link }
scorecard-published-subject = { $period } 绩效评分卡
scorecard-published-body =
    贵司 { $period } 的绩效评分卡已发布。

    { $link }
certificate-expiring-subject = 资质即将到期：{ $certificate }（{ $vendor }）
certificate-expiring-body =
    { $vendor } 的资质证书“{ $certificate }”将于 { $expires } 到期，请上传更新后的证书。

    { $link }
audit-action-selection-award = 定标
audit-action-selection-bid = 提交报价
audit-action-selection-bid-file = 添加方案文件
audit-action-selection-cancel = 取消比选
audit-action-selection-close = 截止报价
audit-action-selection-create = 发起比选
audit-action-selection-evaluator-add = 添加评委
audit-action-selection-invite = 邀请供应商
audit-action-selection-score = 评分
audit-action-vendor-certificate-add = 添加资质证书
audit-action-vendor-create = 登记供应商
audit-action-vendor-evaluate = 评价供应商
audit-action-vendor-scorecard-publish = 发布评分卡
audit-action-vendor-scorecard-settings = 修改评分卡设置
audit-action-vendor-status = 变更供应商状态
audit-action-vendor-template-add = 添加评分模板
audit-action-vendor-update = 修改供应商资料
audit-entity-selection = 比选
audit-entity-setting = 设置
audit-entity-evaluation-template = 评分模板

## Payment disputes
notification-kind-payment_disputed = 付款争议
notification-kind-dispute_closed = 付款争议已关闭
dispute-raised-subject = 付款争议：{ $installment }（{ $number }）
dispute-raised-body =
    合同 { $number } 的款项"{ $installment }"有争议：

    { $reason }

    { $link }
dispute-resolved-subject = 争议已解决：{ $installment }（{ $number }）
dispute-resolved-body =
    合同 { $number } 款项"{ $installment }"的争议已解决：

    { $resolution }

    { $link }
dispute-withdrawn-subject = 争议已撤回：{ $installment }（{ $number }）
dispute-withdrawn-body =
    合同 { $number } 款项"{ $installment }"的争议已由提出方撤回。

    { $link }
error-dispute-contract = 合同 { $number } 尚未签署：只有双方已受约束的款项才能提出争议。
error-dispute-open = "{ $installment }"已有未关闭的争议，请先解决或撤回。
error-dispute-closed = 该争议已关闭（{ $state }）。
error-dispute-amount = 争议金额不能超过该期款项 { $amount }。
error-dispute-fault = 请选择责任方：对方、我方或无责任。
audit-action-dispute-raise = 提出付款争议
audit-action-dispute-resolve = 解决付款争议
audit-action-dispute-withdraw = 撤回付款争议
audit-entity-dispute = 付款争议
error-scores-final = 所有评分表均已提交、排名已公开，评分不能再修改。
error-engagement-open = 请选择由您负责且仍在进行中（未关闭、未归档）的项目。
