"""Every error code of the Yinsuda document → what the user or the venue's admin should do.

The document lists the Tencent Cloud API 3.0 common codes ("公共错误码") and Yinsuda's own
business codes ("业务错误码"). Each gets its own short zh+en message; only the codes that
retrying can fix (server busy, rate limits) are retryable, and only those say "try again".
A code the document does not list falls back by its dotted prefix, then to `DEFAULT`.
"""

from __future__ import annotations

from ktvdesk.catalog.http import ErrorRule, ErrorTable
from ktvdesk.catalog.http.gateway import GATEWAY_RULES
from ktvdesk.errors import (
    AuthError,
    NotFoundError,
    ProviderError,
    RateLimitedError,
    RightsError,
    UserMessage,
)

M = UserMessage

_CREDENTIALS = M(
    "云曲库账号验证失败，请在设置中检查 SecretId / SecretKey。",
    "The cloud catalog refused our credentials. Check the SecretId / SecretKey in the settings.",
)
_BUSY = M("曲库请求太频繁，请稍等片刻再试。", "Too many requests to the song service. Please wait a moment.")
_SERVER = M("曲库服务暂时不可用，请稍后重试。", "The song service is unavailable. Please try again later.")
_UPGRADE = M(
    "曲库接口已变更，请升级 ktvdesk 到最新版本。",
    "The song service changed its interface. Please update ktvdesk.",
)
_BUG = M(
    "ktvdesk 发送的请求有误，请把日志中的 RequestId 发给技术支持。",
    "ktvdesk sent a request the service did not accept. Please send the RequestId from the log to support.",
)

# (code, error class, zh, en, retryable) — the document's order, common codes first.
_CODES: tuple[tuple[str, type[ProviderError], UserMessage, bool | None], ...] = (
    ("ActionOffline", ProviderError, _UPGRADE, False),
    (
        "AuthFailure.InvalidAuthorization",
        AuthError,
        M(
            "请求签名格式不符合腾讯云标准，请升级 ktvdesk。",
            "The request's signature header was malformed. Please update ktvdesk.",
        ),
        False,
    ),
    (
        "AuthFailure.InvalidSecretId",
        AuthError,
        M(
            "SecretId 不是云 API 密钥，请在腾讯云控制台「访问密钥」中复制 API 密钥。",
            "The SecretId is not a cloud API key. Copy an API key from the Tencent Cloud console (API keys).",
        ),
        False,
    ),
    (
        "AuthFailure.MFAFailure",
        AuthError,
        M(
            "该密钥要求 MFA 二次验证，请管理员为 ktvdesk 换用不需要 MFA 的子账号密钥。",
            "This key needs MFA. Ask the admin for a sub-account key without MFA for ktvdesk.",
        ),
        False,
    ),
    (
        "AuthFailure.SecretIdNotFound",
        AuthError,
        M(
            "SecretId 不存在或已被禁用，请在控制台确认密钥状态，并检查前后没有空格。",
            "The SecretId does not exist or is disabled. Check it in the console, with no spaces around it.",
        ),
        False,
    ),
    (
        "AuthFailure.SignatureExpire",
        AuthError,
        M(
            "本机时间与标准时间相差太大，请校准系统时间。",
            "This computer's clock is too far off. Please correct the system time.",
        ),
        False,
    ),
    (
        "AuthFailure.SignatureFailure",
        AuthError,
        M(
            "签名错误：SecretKey 与 SecretId 不匹配，请在设置中重新填写 SecretKey。",
            "Signature refused: the SecretKey does not match the SecretId. Enter the SecretKey again.",
        ),
        False,
    ),
    (
        "AuthFailure.TokenFailure",
        AuthError,
        M(
            "临时密钥的 Token 无效或已过期，请重新获取临时密钥（SecretId、SecretKey 和 Token 一起更换）。",
            "The temporary credentials' token is invalid or expired. Get new ones (SecretId, SecretKey and Token together).",
        ),
        False,
    ),
    (
        "AuthFailure.UnauthorizedOperation",
        AuthError,
        M(
            "该密钥没有音速达接口权限，请管理员在访问管理（CAM）中授权。",
            "This key may not use the Yinsuda API. Ask the admin to grant it in CAM.",
        ),
        False,
    ),
    ("DryRunOperation", ProviderError, _BUG, False),
    (
        "FailedOperation",
        ProviderError,
        M("曲库无法完成这个操作。", "The song service could not do that."),
        False,
    ),
    ("InternalError", ProviderError, _SERVER, True),
    ("InvalidAction", ProviderError, _UPGRADE, False),
    ("InvalidParameter", ProviderError, _BUG, False),
    ("InvalidParameterValue", ProviderError, _BUG, False),
    ("InvalidRequest", ProviderError, _BUG, False),
    (
        "IpInBlacklist",
        AuthError,
        M(
            "本机的公网 IP 被曲库列入黑名单，请管理员联系腾讯云解除。",
            "This machine's public IP is blacklisted by the service. The admin must ask Tencent Cloud to lift it.",
        ),
        False,
    ),
    (
        "IpNotInWhitelist",
        AuthError,
        M(
            "本机的公网 IP 不在白名单中，请管理员在腾讯云控制台把它加入白名单。",
            "This machine's public IP is not on the allow list. The admin must add it in the Tencent Cloud console.",
        ),
        False,
    ),
    (
        "LimitExceeded",
        RightsError,
        M(
            "已超过账号的配额，请管理员在腾讯云控制台查看用量或提高配额。",
            "The account's quota is used up. The admin should check usage or raise the quota in the console.",
        ),
        False,
    ),
    ("MissingParameter", ProviderError, _BUG, False),
    (
        "NoSuchProduct",
        ProviderError,
        M(
            "该账号未开通音速达服务，或接入地址有误，请管理员检查设置。",
            "The account has no Yinsuda service, or the endpoint is wrong. The admin should check the settings.",
        ),
        False,
    ),
    ("NoSuchVersion", ProviderError, _UPGRADE, False),
    ("RequestLimitExceeded", RateLimitedError, _BUSY, True),
    ("RequestLimitExceeded.GlobalRegionUinLimitExceeded", RateLimitedError, _BUSY, True),
    ("RequestLimitExceeded.IPLimitExceeded", RateLimitedError, _BUSY, True),
    ("RequestLimitExceeded.UinLimitExceeded", RateLimitedError, _BUSY, True),
    (
        "RequestSizeLimitExceeded",
        ProviderError,
        M(
            "请求内容太大，请减少一次查询的歌曲数量。",
            "The request was too large. Ask for fewer songs at a time.",
        ),
        False,
    ),
    (
        "ResourceInUse",
        ProviderError,
        M(
            "该资源正被占用（例如房间里的机器人），请先释放再试。",
            "That resource is in use (e.g. a room's robot). Release it first.",
        ),
        False,
    ),
    (
        "ResourceInsufficient",
        RightsError,
        M(
            "账号资源不足（如曲库套餐或余额），请管理员在腾讯云控制台续费或升级。",
            "The account is out of resources (plan or balance). The admin should renew or upgrade it in the console.",
        ),
        False,
    ),
    (
        "ResourceNotFound",
        NotFoundError,
        M("歌曲、歌单或房间不存在。", "The song, playlist or room does not exist."),
        False,
    ),
    (
        "ResourceUnavailable",
        RightsError,
        M(
            "该资源已不可用（例如已下架或已销毁）。",
            "That resource is no longer available (taken offline or destroyed).",
        ),
        False,
    ),
    (
        "ResponseSizeLimitExceeded",
        ProviderError,
        M("返回的数据太多，请缩小查询范围。", "The answer would be too large. Narrow the query."),
        False,
    ),
    ("ServiceUnavailable", ProviderError, _SERVER, True),
    (
        "UnauthorizedOperation",
        AuthError,
        M(
            "该账号无权执行这个操作，请管理员在访问管理（CAM）中授权。",
            "The account may not do this. Ask the admin to grant it in CAM.",
        ),
        False,
    ),
    ("UnknownParameter", ProviderError, _UPGRADE, False),
    (
        "UnsupportedOperation",
        ProviderError,
        M("曲库不支持这个操作。", "The song service does not support this operation."),
        False,
    ),
    ("UnsupportedProtocol", ProviderError, _BUG, False),
    (
        "UnsupportedRegion",
        ProviderError,
        M(
            "该地域不支持音速达，请在设置中改用默认接入地址 yinsuda.tencentcloudapi.com。",
            "Yinsuda is not offered in that region. Use the default endpoint yinsuda.tencentcloudapi.com.",
        ),
        False,
    ),
    # Yinsuda's business codes.
    ("AuthFailure", AuthError, _CREDENTIALS, False),
    (
        "FailedOperation.DuplicateTradeSerialNo",
        ProviderError,
        M(
            "这笔充值已经提交过，没有重复扣费。",
            "This recharge was already submitted; nothing was charged twice.",
        ),
        False,
    ),
    (
        "FailedOperation.UserLiveVipTimeExpire",
        RightsError,
        M(
            "直播会员已过期，请续费后再在直播中演唱。",
            "The live-streaming membership has expired. Renew it to sing live.",
        ),
        False,
    ),
    (
        "FailedOperation.UserNotLiveVip",
        RightsError,
        M(
            "该用户不是直播会员，无法在直播场景演唱；请开通直播会员或改用非直播场景。",
            "This user is not a live-streaming member. Recharge the membership or use the chat scene.",
        ),
        False,
    ),
)

DOCUMENTED_CODES: tuple[str, ...] = tuple(code for code, *_ in _CODES)

DEFAULT = ErrorRule(
    ProviderError,
    M(
        "曲库返回了未知错误，请把日志中的 RequestId 发给技术支持。",
        "The song service failed. Please send the RequestId from the log to support.",
    ),
    retryable=False,
)

ERRORS = ErrorTable(
    {
        **{code: ErrorRule(cls, message, retryable=retryable) for code, cls, message, retryable in _CODES},
        **GATEWAY_RULES,
    },
    default=DEFAULT,
)
