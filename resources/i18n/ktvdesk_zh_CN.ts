<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="178"/>
        <source>About ktvdesk</source>
        <translation>关于 ktvdesk</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="186"/>
        <source>A desktop karaoke (KTV) player.</source>
        <translation>桌面 KTV 点歌播放器。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="188"/>
        <source>ktvdesk is free software: GNU General Public License, version 3 or later.</source>
        <translation>ktvdesk 是自由软件：GNU 通用公共许可证第 3 版或更新版本。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="195"/>
        <source>Playback: {status}</source>
        <translation>播放：{status}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="211"/>
        <source>Parts of ktvdesk and their licences:</source>
        <translation>ktvdesk 的组成部分及其许可证：</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="232"/>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="232"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="232"/>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="232"/>
        <source>Used for</source>
        <translation>用途</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="76"/>
        <location filename="../../ktvdesk/ui/song_list.py" line="495"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="275"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="340"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="92"/>
        <location filename="../../ktvdesk/ui/song_list.py" line="500"/>
        <source>Not ready yet. Try again in a moment.</source>
        <translation>尚未就绪，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="108"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="178"/>
        <source>Categories</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="108"/>
        <source>Choose a category.</source>
        <translation>请选择一个分类。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="122"/>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="224"/>
        <location filename="../../ktvdesk/ui/search_page.py" line="89"/>
        <source>This catalog is not available.</source>
        <translation>这个曲库不可用。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="139"/>
        <source>This catalog has no categories.</source>
        <translation>这个曲库没有分类。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="152"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="177"/>
        <source>Singers</source>
        <translation>歌星</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="152"/>
        <source>Choose a singer.</source>
        <translation>请选择一位歌手。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="177"/>
        <source>The local library is not available.</source>
        <translation>本地曲库不可用。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="194"/>
        <source>No singers under this letter.</source>
        <translation>这个字母下没有歌手。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="211"/>
        <source>Playlists</source>
        <translation>歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="211"/>
        <source>Choose a playlist.</source>
        <translation>请选择一个歌单。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="236"/>
        <source>This catalog has no playlists. Your own playlists are in the My playlists tab.</source>
        <translation>这个曲库没有歌单。您自己的歌单在“我的歌单”标签页。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="286"/>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="154"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="294"/>
        <source>About ktvdesk…</source>
        <translation>关于 ktvdesk…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="296"/>
        <source>Version and licences (F1)</source>
        <translation>版本与许可证（F1）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="305"/>
        <location filename="../../ktvdesk/ui/song_list.py" line="383"/>
        <source>Language: {0}</source>
        <translation>语言：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="306"/>
        <source>Playback: {0}</source>
        <translation>播放：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="307"/>
        <source>Lyric calibration: {0} ms (use the −/+ buttons next to the lyrics)</source>
        <translation>歌词校准：{0} 毫秒（用歌词旁的 −/+ 按钮调整）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="310"/>
        <source>Library folders:</source>
        <translation>曲库文件夹：</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="313"/>
        <source>Catalogs:</source>
        <translation>曲库：</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="317"/>
        <source>{0}: enabled</source>
        <translation>{0}：已启用</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="319"/>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/browse_pages.py" line="320"/>
        <source>Edit the configuration file to change these: {0}</source>
        <translation>如需修改，请编辑配置文件：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/lyric_view.py" line="241"/>
        <source>No lyrics for this song — enjoy the music!</source>
        <translation>这首歌没有歌词，请欣赏音乐！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="151"/>
        <source>Playback is off: libVLC was not found. Install VLC (Debian/Ubuntu: sudo apt install vlc) and restart.</source>
        <translation>播放功能已关闭：未找到 libVLC。请安装 VLC（Debian/Ubuntu：sudo apt install vlc）后重新启动。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="154"/>
        <source>Configuration problem: {0}</source>
        <translation>配置问题：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="172"/>
        <source>Song catalog</source>
        <translation>曲库</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="183"/>
        <source>Not configured</source>
        <translation>未配置</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="205"/>
        <source>Catalog playlists</source>
        <translation>曲库歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="206"/>
        <location filename="../../ktvdesk/ui/user_pages.py" line="247"/>
        <source>My playlists</source>
        <translation>我的歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="323"/>
        <location filename="../../ktvdesk/ui/song_list.py" line="356"/>
        <source>Add to playlist</source>
        <translation>加入歌单</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ktvdesk/ui/main_window.py" line="338"/>
        <source>%n song(s) were in the queue when ktvdesk last closed.</source>
        <translation>
            <numerusform>上次关闭 ktvdesk 时已点列表中有 %n 首歌。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="340"/>
        <source>Playing then: {0}</source>
        <translation>当时正在播放：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="343"/>
        <location filename="../../ktvdesk/ui/main_window.py" line="344"/>
        <source>Continue where we left off?</source>
        <translation>从上次中断的地方继续吗？</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="347"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="348"/>
        <source>Start fresh</source>
        <translation>重新开始</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ktvdesk/ui/main_window.py" line="361"/>
        <source>%n song(s) back in the queue.</source>
        <translation>
            <numerusform>已恢复 %n 首歌到已点列表。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="100"/>
        <source>Favorites</source>
        <translation>我的收藏</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="101"/>
        <source>No favorites yet. Right-click a song and choose Add to favorites.</source>
        <translation>还没有收藏。右键点击歌曲，选择“收藏”。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="127"/>
        <source>History</source>
        <translation>已唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="128"/>
        <source>Songs you sing appear here.</source>
        <translation>您唱过的歌会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="133"/>
        <source>Recent plays</source>
        <translation>最近播放</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="134"/>
        <source>Most sung</source>
        <translation>最常唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="135"/>
        <source>Recently sung</source>
        <translation>最近唱过</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="238"/>
        <source>Remove from this playlist</source>
        <translation>从这个歌单移除</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="253"/>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="254"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="255"/>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="256"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="153"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="257"/>
        <source>Queue all</source>
        <translation>全部点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="258"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="259"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="295"/>
        <source>Your playlists are not available: the song database could not be opened.</source>
        <translation>无法使用您的歌单：歌曲数据库打不开。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="317"/>
        <source>No playlists yet. Press New… to make one.</source>
        <translation>还没有歌单。点“新建…”创建一个。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ktvdesk/ui/user_pages.py" line="427"/>
        <source>%n playlist(s) imported.</source>
        <translation>
            <numerusform>已导入 %n 个歌单。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ktvdesk/ui/user_pages.py" line="450"/>
        <source>%n song(s) are not local files and were left out (export as JSON to keep them).</source>
        <translation>
            <numerusform>%n 首歌不是本地文件，未导出（导出为 JSON 可保留它们）。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="460"/>
        <source>Exported to {0}</source>
        <translation>已导出到 {0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="466"/>
        <source>Import playlists</source>
        <translation>导入歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="474"/>
        <source>Export playlist</source>
        <translation>导出歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="497"/>
        <source>Rename playlist</source>
        <translation>重命名歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="497"/>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="510"/>
        <source>Delete playlist</source>
        <translation>删除歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/user_pages.py" line="511"/>
        <source>Delete “{0}”? Its songs stay in the catalog.</source>
        <translation>删除“{0}”吗？其中的歌曲仍保留在曲库中。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="286"/>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="118"/>
        <source>Playback is off.</source>
        <translation>播放功能已关闭。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="292"/>
        <source>Pick a song and press 点歌 — the lyrics appear here.</source>
        <translation>选一首歌并点歌，歌词会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="317"/>
        <source>Song details</source>
        <translation>歌曲详情</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="55"/>
        <source>Drag to seek</source>
        <translation>拖动以跳转</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="69"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="223"/>
        <source>Nothing playing</source>
        <translation>没有正在播放的歌曲</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="75"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="198"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="342"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="77"/>
        <source>Play / pause (Space)</source>
        <translation>播放/暂停（空格）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="78"/>
        <source>Next</source>
        <translation>切歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="79"/>
        <source>切歌: next song (N)</source>
        <translation>切歌：下一首（N）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="80"/>
        <source>Restart</source>
        <translation>重唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="81"/>
        <source>重唱: sing it again from the top (R)</source>
        <translation>重唱：从头再唱一遍（R）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="82"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="248"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="343"/>
        <source>Original</source>
        <translation>原唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="83"/>
        <source>原唱/伴唱: original vocal or accompaniment (V)</source>
        <translation>原唱/伴唱切换（V）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="88"/>
        <source>Key down a semitone (−)</source>
        <translation>降半音（−）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="91"/>
        <source>Key up a semitone (+)</source>
        <translation>升半音（+）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="92"/>
        <source>Slower</source>
        <translation>减慢</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="95"/>
        <source>Faster</source>
        <translation>加快</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="106"/>
        <source>Clips</source>
        <translation>片段</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="107"/>
        <source>Play only the chorus clip of each song</source>
        <translation>每首歌只播放副歌片段</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="109"/>
        <source>Lyrics later (calibration)</source>
        <translation>歌词延后（校准）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="112"/>
        <source>Lyrics earlier (calibration)</source>
        <translation>歌词提前（校准）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="123"/>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="198"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="245"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="342"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="203"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="211"/>
        <source>Key {0}</source>
        <translation>音调 {0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="205"/>
        <location filename="../../ktvdesk/ui/now_playing.py" line="213"/>
        <source>Lyrics {0} ms</source>
        <translation>歌词 {0} 毫秒</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="208"/>
        <source>原唱 Original</source>
        <translation>原唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="208"/>
        <source>伴唱 Backing</source>
        <translation>伴唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/now_playing.py" line="229"/>
        <source>Preview: </source>
        <translation>试听：</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="71"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="180"/>
        <source>Queue</source>
        <translation>已点</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="81"/>
        <source>The queue is empty. Find a song and press 点歌 to add it.</source>
        <translation>已点列表是空的。找一首歌，按“点歌”加入。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="86"/>
        <source>Top</source>
        <translation>优先</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="87"/>
        <source>优先: sing the selected song next (Ctrl+T)</source>
        <translation>优先：下一首唱选中的歌（Ctrl+T）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="88"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="415"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="89"/>
        <source>Remove the selected song (Delete)</source>
        <translation>删除选中的歌曲（Delete）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="90"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="155"/>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="76"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="123"/>
        <source>Preview</source>
        <translation>试听</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="123"/>
        <source>Now singing</source>
        <translation>正在演唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="148"/>
        <source>next</source>
        <translation>下一首</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/queue_panel.py" line="148"/>
        <source>in {0}</source>
        <translation>{0} 后</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/search_page.py" line="26"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/search_page.py" line="31"/>
        <source>Title, singer, pinyin or initials (e.g. mlh for 茉莉花)</source>
        <translation>歌名、歌手、拼音或首字母（如 mlh 搜 茉莉花）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/search_page.py" line="41"/>
        <source>可播 playable</source>
        <translation>可播</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/search_page.py" line="42"/>
        <source>可唱 singable</source>
        <translation>可唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/search_page.py" line="43"/>
        <source>Has lyrics</source>
        <translation>有歌词</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/search_page.py" line="49"/>
        <source>Type to search the catalog.</source>
        <translation>输入文字搜索曲库。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="55"/>
        <source>可播</source>
        <translation>可播</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="57"/>
        <source>可唱</source>
        <translation>可唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="59"/>
        <source>Lyrics</source>
        <translation>歌词</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="61"/>
        <source>Pitch</source>
        <translation>音高</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="88"/>
        <source>Title</source>
        <translation>歌名</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="89"/>
        <source>Singer</source>
        <translation>歌手</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="90"/>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="91"/>
        <source>Available</source>
        <translation>可用</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="105"/>
        <location filename="../../ktvdesk/ui/song_list.py" line="107"/>
        <location filename="../../ktvdesk/ui/user_pages.py" line="337"/>
        <source>Unavailable: {0}</source>
        <translation>无法播放：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="124"/>
        <source>Licensed by the copyright owner (ZEGO channel 0)</source>
        <translation>版权方授权（即构 Channel 0）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="261"/>
        <source>Added to the queue: {0}</source>
        <translation>已点歌：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="267"/>
        <source>Plays next: {0}</source>
        <translation>下一首播放：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="288"/>
        <source>Removed from favorites: {0}</source>
        <translation>已取消收藏：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="291"/>
        <source>Added to favorites: {0}</source>
        <translation>已收藏：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="326"/>
        <location filename="../../ktvdesk/ui/song_list.py" line="350"/>
        <source>Added to “{1}”: {0}</source>
        <translation>已加入“{1}”：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="339"/>
        <location filename="../../ktvdesk/ui/user_pages.py" line="486"/>
        <source>New playlist</source>
        <translation>新建歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="340"/>
        <location filename="../../ktvdesk/ui/user_pages.py" line="486"/>
        <source>Name of the new playlist:</source>
        <translation>新歌单的名称：</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="362"/>
        <source>New playlist…</source>
        <translation>新建歌单…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="367"/>
        <source>Singer: {0}</source>
        <translation>歌手：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="369"/>
        <source>Album: {0}</source>
        <translation>专辑：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="370"/>
        <source>Duration: {0}</source>
        <translation>时长：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="371"/>
        <source>Catalog: {0}</source>
        <translation>曲库：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="381"/>
        <source>Genre: {0}</source>
        <translation>曲风：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="387"/>
        <source>Chorus: {0}–{1}</source>
        <translation>副歌：{0}–{1}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="395"/>
        <source>点歌 Add to queue</source>
        <translation>点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="396"/>
        <source>优先 Play next</source>
        <translation>优先</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="399"/>
        <source>Remove from favorites</source>
        <translation>取消收藏</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="399"/>
        <source>Add to favorites</source>
        <translation>收藏</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="402"/>
        <source>Preview the chorus</source>
        <translation>试听副歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="403"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="518"/>
        <source>Something went wrong: {0}</source>
        <translation>出错了：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="526"/>
        <source>No songs found.</source>
        <translation>没有找到歌曲。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/song_list.py" line="528"/>
        <source> — scroll for more</source>
        <translation>，向下滚动查看更多</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ktvdesk/ui/song_list.py" line="529"/>
        <source>%n song(s)</source>
        <translation>
            <numerusform>%n 首歌</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/stage_window.py" line="28"/>
        <location filename="../../ktvdesk/ui/kiosk/shell.py" line="30"/>
        <source>ktvdesk stage</source>
        <translation>ktvdesk 舞台</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/stage_window.py" line="73"/>
        <location filename="../../ktvdesk/ui/kiosk/shell.py" line="44"/>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="118"/>
        <source>ktvdesk</source>
        <translation>ktvdesk</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/stage_window.py" line="92"/>
        <source>Next song: {0} — {1}</source>
        <translation>下一首：{0} — {1}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/attract.py" line="26"/>
        <source>Touch the screen to pick a song</source>
        <translation>触摸屏幕开始点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/attract.py" line="66"/>
        <source>Sing with us tonight!</source>
        <translation>今晚一起唱！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="113"/>
        <source>Add</source>
        <translation>点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="116"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="411"/>
        <source>Sing next</source>
        <translation>优先</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="184"/>
        <source>Tap the first letters of the song, e.g. M L H</source>
        <translation>按歌名拼音首字母点歌，例如 M L H</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="197"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="200"/>
        <source>No song matches “{0}”.</source>
        <translation>没有找到“{0}”的歌曲。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="226"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="240"/>
        <source>Back to singers</source>
        <translation>返回歌星</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="279"/>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="344"/>
        <source>No songs.</source>
        <translation>没有歌曲。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="360"/>
        <source>Most sung here</source>
        <translation>本包厢热唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="367"/>
        <source>Nothing has been sung here yet. Be the first!</source>
        <translation>这里还没有人唱过歌，来当第一个吧！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="396"/>
        <source>Now singing: {0} — {1}</source>
        <translation>正在演唱：{0} — {1}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="398"/>
        <source>Nothing is playing.</source>
        <translation>当前没有播放歌曲。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pages.py" line="401"/>
        <source>No songs queued. Pick one!</source>
        <translation>还没有已点歌曲，快去点一首吧！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="56"/>
        <source>Staff only: enter the admin PIN</source>
        <translation>仅限工作人员：请输入管理密码</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="81"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="87"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="120"/>
        <source>Too many wrong PINs. Try again in {0} s.</source>
        <translation>密码错误次数过多，请 {0} 秒后再试。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="131"/>
        <source>No admin PIN is set. Run “ktvdesk kiosk set-pin” on this terminal.</source>
        <translation>尚未设置管理密码。请在本机运行“ktvdesk kiosk set-pin”。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="133"/>
        <source>Wrong PIN.</source>
        <translation>密码错误。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="146"/>
        <source>Admin</source>
        <translation>管理</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="155"/>
        <source>Stage on/off</source>
        <translation>打开/关闭舞台</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="156"/>
        <source>Clear the queue</source>
        <translation>清空已点</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="157"/>
        <source>Lock again</source>
        <translation>重新锁定</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/pin_pad.py" line="158"/>
        <source>Exit kiosk mode</source>
        <translation>退出包厢模式</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="176"/>
        <source>Pick songs</source>
        <translation>点歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="179"/>
        <source>Charts</source>
        <translation>排行</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="246"/>
        <source>Next song</source>
        <translation>切歌</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="247"/>
        <source>Sing again</source>
        <translation>重唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="249"/>
        <source>Key −</source>
        <translation>降调</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="250"/>
        <source>Key +</source>
        <translation>升调</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="251"/>
        <source>Vol −</source>
        <translation>音量−</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="252"/>
        <source>Vol +</source>
        <translation>音量+</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="253"/>
        <source>Stage</source>
        <translation>舞台</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="311"/>
        <source>“{0}” will be sung next.</source>
        <translation>“{0}”已设为下一首。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="314"/>
        <source>“{0}” added to the queue.</source>
        <translation>已点“{0}”。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="328"/>
        <source>Queue ({0})</source>
        <translation>已点（{0}）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="336"/>
        <source>Playback is not available.</source>
        <translation>播放功能不可用。</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="340"/>
        <source>Pick a song to start!</source>
        <translation>点一首歌开始吧！</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="343"/>
        <source>Backing</source>
        <translation>伴唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="344"/>
        <source>Key {0:+d} · Vol {1}</source>
        <translation>音调 {0:+d} · 音量 {1}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="441"/>
        <source>Room (Yinsuda RoomId): {0}</source>
        <translation>包厢（音速达 RoomId）：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="442"/>
        <source>Room (ZEGO RoomId): {0}</source>
        <translation>包厢（ZEGO RoomId）：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="443"/>
        <source>Volume limit: {0}</source>
        <translation>音量上限：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="444"/>
        <source>Catalogs: {0}</source>
        <translation>曲库：{0}</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="445"/>
        <source>Attract mode after {0} min idle</source>
        <translation>空闲 {0} 分钟后进入待机展示</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="446"/>
        <source>Admin re-locks after {0} s</source>
        <translation>管理模式 {0} 秒无操作后自动锁定</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/kiosk/window.py" line="447"/>
        <source>Change these in {0} and restart.</source>
        <translation>请在 {0} 中修改后重启。</translation>
    </message>
</context>
<context>
    <name>QCoreApplication</name>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="50"/>
        <source>user interface</source>
        <translation>用户界面</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="57"/>
        <source>audio and video playback</source>
        <translation>音视频播放</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="63"/>
        <source>libVLC binding</source>
        <translation>libVLC 绑定</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="70"/>
        <source>cloud catalog requests</source>
        <translation>云曲库请求</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="77"/>
        <source>data models</source>
        <translation>数据模型</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="84"/>
        <source>configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="91"/>
        <source>asyncio inside Qt</source>
        <translation>在 Qt 中运行 asyncio</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="98"/>
        <source>pinyin search</source>
        <translation>拼音搜索</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="105"/>
        <source>audio tags</source>
        <translation>音频标签</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="112"/>
        <source>traditional/simplified Chinese</source>
        <translation>繁简中文转换</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="119"/>
        <source>settings and data folders</source>
        <translation>设置和数据文件夹</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="126"/>
        <source>secrets in the system keyring</source>
        <translation>系统钥匙串中的密钥</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="133"/>
        <source>cloud emulator (cloudsim)</source>
        <translation>云服务模拟器（cloudsim）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="140"/>
        <source>cloud emulator server</source>
        <translation>云服务模拟服务器</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="145"/>
        <source>runtime</source>
        <translation>运行时</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="150"/>
        <source>Chinese, Japanese and Korean text (when installed)</source>
        <translation>中日韩文字（已安装时）</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="154"/>
        <source>Demo songs</source>
        <translation>演示歌曲</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="155"/>
        <source>public domain</source>
        <translation>公有领域</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/about.py" line="156"/>
        <source>traditional melodies and lyrics; our own arrangements and lyric timing</source>
        <translation>传统旋律和歌词；编曲和歌词时间轴为本项目自制</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="44"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="45"/>
        <source>Categories</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="46"/>
        <source>Singers</source>
        <translation>歌星</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="47"/>
        <source>Playlists</source>
        <translation>歌单</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="48"/>
        <source>Favorites</source>
        <translation>我的收藏</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="49"/>
        <source>History</source>
        <translation>已唱</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="50"/>
        <source>Queue</source>
        <translation>已点</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="51"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="55"/>
        <source>Local library</source>
        <translation>本地曲库</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="56"/>
        <source>Yinsuda 音速达</source>
        <translation>音速达</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="57"/>
        <source>Xiaowei QQ Music</source>
        <translation>小微 QQ 音乐</translation>
    </message>
    <message>
        <location filename="../../ktvdesk/ui/main_window.py" line="58"/>
        <source>ZEGO KTV</source>
        <translation>即构 KTV</translation>
    </message>
</context>
</TS>
