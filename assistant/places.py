"""Named places: a question about a place the knowledge base never mentions is outside what it covers.

A teacher who asks about 西藏, 成都 or 芬兰 asks about that place's rules; documents that never name it cannot
say what they are, however close their wording is. Only real place names count (jieba also tags 东西, 入口
and 城市 as places), and only when no passage of the knowledge base holds them: a knowledge base that
includes 贵州省's own plan knows 贵州.
"""

from __future__ import annotations

# Provincial-level divisions, each by its usual short name (贵州省 and 贵州 both end up here).
_PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 "
    "云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
)
# Provincial capitals and other cities teachers name.
_CITIES = (
    "石家庄 太原 沈阳 长春 哈尔滨 南京 杭州 合肥 福州 南昌 济南 郑州 武汉 长沙 广州 海口 成都 贵阳 昆明 西安 兰州 西宁 "
    "呼和浩特 南宁 拉萨 银川 乌鲁木齐 台北 深圳 苏州 青岛 大连 厦门 宁波 无锡 东莞 佛山 温州 珠海 桂林 三亚 延安 遵义"
)
# Countries whose teacher training a teacher might ask about.
_COUNTRIES = (
    "美国 英国 法国 德国 日本 韩国 芬兰 新加坡 澳大利亚 加拿大 俄罗斯 印度 瑞典 挪威 丹麦 荷兰 瑞士 意大利 西班牙 "
    "新西兰 以色列 朝鲜 越南 泰国 马来西亚 巴西 埃及 南非"
)
PLACES = frozenset((_PROVINCES + " " + _CITIES + " " + _COUNTRIES).split())
_SUFFIXES = ("特别行政区", "自治区", "省", "市", "县", "区")


def place_name(word: str) -> str:
    """The place a word names (贵州省 → 贵州), or "" when it names none of them."""
    if word in PLACES:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and word[: -len(suffix)] in PLACES:
            return word[: -len(suffix)]
    return ""
