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
flash-dependency-added = 已添加依赖。
flash-rescheduled = 已重新排程：{ $moved } 个任务调整了日期。
error-dependency-self = 任务不能依赖自身。
error-dependency-type = 请选择 FS、SS、FF 或 SF。
error-lag = 间隔须在 -365 到 365 个工作日之间。
error-dependency-exists = 这两个任务已建立依赖。
error-dependency-cycle = 该依赖会使计划形成循环。
audit-action-dependency-create = 建立任务依赖
audit-action-engagement-reschedule = 项目重新排程
gantt-legend-baseline = 基线
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
